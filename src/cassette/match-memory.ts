/**
 * The in-memory {@link CassetteIndex}: small cassettes (replay of a file under 8 MiB, a cassette
 * given as an object) and record-time playback. A large file's index lives on disk
 * (./index-store.ts); both answer alike (test/unit/cassette-index-store.test.ts).
 */
import { compileRules, type CompiledRules } from './compare';
import type { CassetteIndex, Group, GroupHead, SlowKind } from './match';
import { exactKey, routeKey, slowKinds } from './match-keys';
import type { Cassette, RecordedRequest } from './types';

/** The groups of one method + product + path shape. */
interface Route {
  groups: Group[];
  aliased: Group[];
  dated: Group[];
}

/** {@link CassetteIndex} held in memory. */
class MemoryIndex implements CassetteIndex {
  size = 0;
  readonly groups = new Map<string, Group & { seqs: number[] }>();
  readonly routes = new Map<string, Route>();
  /** Every group, in order of first appearance. */
  readonly all: Group[] = [];
  readonly requests = new Map<number, RecordedRequest>();

  constructor(
    readonly name: string,
    readonly rules: CompiledRules,
  ) {}

  group(exact: string): Group | undefined {
    return this.groups.get(exact);
  }

  groupByKey(key: string): Group | undefined {
    return this.groups.get(key);
  }

  slowGroups(key: string, kind: SlowKind): Iterable<Group> {
    return this.routes.get(key)?.[kind] ?? [];
  }

  request(seq: number): RecordedRequest | undefined {
    return this.requests.get(seq);
  }

  *shapeGroups(shape: string): Iterable<GroupHead> {
    for (const [key, route] of this.routes) {
      if (key.endsWith(` ${shape}`)) for (const g of route.groups) yield this.head(g);
    }
  }

  *firstGroups(limit: number): Iterable<GroupHead> {
    for (const g of this.all.slice(0, limit)) yield this.head(g);
  }

  private head(g: Group): GroupHead {
    return { key: g.key, first: this.requests.get(g.seqs[0])! };
  }
}

/** Indexes a cassette in memory for {@link findEntry}. */
export function buildIndex(cassette: Pick<Cassette, 'name' | 'match' | 'interactions'>): CassetteIndex {
  const index = new MemoryIndex(cassette.name, compileRules(cassette.match));
  const rules = index.rules;
  const ordered = [...cassette.interactions].sort((a, b) => a.seq - b.seq);
  for (const { seq, request } of ordered) {
    const key = exactKey(request, rules);
    let group = index.groups.get(key);
    if (!group) {
      group = { key, seqs: [], ...slowKinds(request, rules) };
      index.groups.set(key, group);
      index.all.push(group);
      const rk = routeKey(request);
      let route = index.routes.get(rk);
      if (!route) index.routes.set(rk, (route = { groups: [], aliased: [], dated: [] }));
      route.groups.push(group);
      if (group.aliased) route.aliased.push(group);
      if (group.dated) route.dated.push(group);
    }
    group.seqs.push(seq);
    index.requests.set(seq, request);
    index.size++;
  }
  return index;
}
