/**
 * The generic engine's API (issue #17): every operation of Twilio's 55 OpenAPI specs answered
 * statefully, for whatever no hand-built resource serves. {@link findOperation} matches a request
 * to a spec operation; {@link handleGeneric} runs it over a {@link GenericScope}. See
 * docs/generic-engine.md for the behaviour, its limitations and how it is wired.
 *
 * Hand-built overrides and tests import the engine from here; the resource module (./index.ts)
 * requires it only on the first request it serves, so start-up never loads it.
 */
export { findOperation, routesOf, domainOfHost, type GenericMatch, type DomainRoute } from './route';
export { handleGeneric, runGeneric, type GenericRequest, type GenericResponse, type GenericHandler, type GenericOverrides, type OverrideSource } from './engine';
export { MemoryGenericStore, sessionGenericStore, type GenericRecord, type GenericScope, type GenericStore, type CollectionSource, type HandBuiltInstances } from './store';
export { fillTemplate, plantRecord } from './records';
export { applyServed } from './replay-apply';
export { allOperations, loadDomain, operationById, domainLabels, type GenericOperation } from './table';
export { callEngine, listAs, operation, patchRecord, renderAs, scopeOfSession, type OwnRecord } from './override-kit';
