/**
 * The value each JSON answer was rendered from, by reply: observers (the inspector) read the SID,
 * status or error code of an answer here instead of parsing the bytes back.
 */
import type { FastifyReply } from 'fastify';

/** Rendered values by reply (weak: gone with the reply). */
export const answerValues = new WeakMap<FastifyReply, unknown>();
