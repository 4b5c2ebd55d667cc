import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createNamespace, natsPermissions, type NatsRole } from '@stratus/contracts';

// deploy/nats/nats-cluster.conf spells out each role's NATS permissions by hand; the services need exactly
// natsPermissions() (namespace "stratus"), so a subject added to a service must be added there too.
const config = await readFile(new URL('../deploy/nats/nats-cluster.conf', import.meta.url), 'utf8');

interface Entry {
  readonly publish: readonly string[];
  readonly publishDeny: readonly string[];
  readonly subscribe: readonly string[];
  readonly allowResponses: boolean;
}

function entryOf(user: string): Entry {
  const start = config.indexOf(`{ user: ${JSON.stringify(user)}`);
  if (start < 0) throw new Error(`deploy/nats/nats-cluster.conf has no user ${user}`);
  const next = config.indexOf('{ user: ', start + 1);
  const text = config.slice(start, next < 0 ? undefined : next);
  const lists = (kind: string): { allow: string[]; deny: string[] } => {
    const match = new RegExp(`${kind}: \\{ allow: (\\[[^\\]]*\\])(?:, deny: (\\[[^\\]]*\\]))? \\}`).exec(text);
    if (match?.[1] === undefined) throw new Error(`user ${user} has no ${kind} allow list`);
    return { allow: JSON.parse(match[1]) as string[], deny: match[2] === undefined ? [] : (JSON.parse(match[2]) as string[]) };
  };
  const publish = lists('publish');
  return { publish: publish.allow, publishDeny: publish.deny, subscribe: lists('subscribe').allow, allowResponses: /allow_responses: true/.test(text) };
}

describe('the NATS users in deploy/', () => {
  const ns = createNamespace('stratus');
  it.each<[string, NatsRole, string | undefined]>([
    ['frontend', 'frontend', undefined],
    ['billing', 'billing', undefined],
    ['events', 'events', undefined],
    ['node-user-worker-1', 'node', 'worker-1'],
  ])('gives %s exactly the permissions its service needs', (user, role, nodeId) => {
    const wanted = natsPermissions(ns, role, nodeId);
    const entry = entryOf(user);
    expect([...entry.publish].sort()).toEqual([...wanted.publish].sort());
    expect([...entry.publishDeny].sort()).toEqual([...wanted.publishDeny].sort());
    expect([...entry.subscribe].sort()).toEqual([...wanted.subscribe].sort());
    expect(entry.allowResponses).toBe(wanted.allowResponses);
  });
});
