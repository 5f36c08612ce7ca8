import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeUser } from '../tools/fakeAws';

const ROOT = join(__dirname, '..');

/** `count` users, each with one active key (compliant), and every `twoKeysEvery`th with two. */
export function users(count: number, twoKeysEvery = 0): FakeUser[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, index) => ({
    userName: `bench-user-${index}`,
    userId: `AIDABENCH${String(index).padStart(12, '0')}`,
    path: index % 3 === 0 ? '/team/' : '/',
    accessKeys: Array.from({ length: twoKeysEvery && index % twoKeysEvery === 0 ? 2 : 1 }, (_, key) => ({
      accessKeyId: `AKIABENCH${String(index).padStart(8, '0')}K${key}`,
      status: 'Active' as const,
      createDate: new Date(now - (200 - key) * 86_400_000),
    })),
  }));
}

const SCHEDULED_EVENT_TEXT = readFileSync(join(ROOT, 'events/scheduled-notification.json'), 'utf8');
const CHANGE_EVENT_TEXT = readFileSync(join(ROOT, 'events/configuration-item-change.json'), 'utf8');

/** The Config rule the sample events come from (their configRuleName): the rule whose results the functions read. */
export const EVENT_RULE_NAME = (JSON.parse(SCHEDULED_EVENT_TEXT) as { configRuleName: string }).configRuleName;

/** events/scheduled-notification.json with another result token, notification time or rule parameters. */
export function scheduledEvent(options: { resultToken?: string; at?: string; ruleParameters?: Record<string, string> } = {}): unknown {
  const event = JSON.parse(SCHEDULED_EVENT_TEXT);
  const invokingEvent = { ...JSON.parse(event.invokingEvent), ...(options.at ? { notificationCreationTime: options.at } : {}) };
  return {
    ...event,
    resultToken: options.resultToken ?? 'bench-token',
    invokingEvent: JSON.stringify(invokingEvent),
    ...(options.ruleParameters ? { ruleParameters: JSON.stringify(options.ruleParameters) } : {}),
  };
}

/** events/configuration-item-change.json with the benchmark's result token. */
export function changeEvent(): unknown {
  const event = JSON.parse(CHANGE_EVENT_TEXT);
  return { ...event, resultToken: 'bench-token' };
}

/**
 * 1% of the users changed as a day brings it: keys added, deactivated, deleted, users deleted,
 * users new. Returns the new user list, the ids whose result must change, and the ids deleted.
 */
export function changeOnePercent(before: FakeUser[]): { after: FakeUser[]; changed: Set<string>; deleted: Set<string> } {
  const changes = Math.max(10, Math.round(before.length / 100));
  const after = before.map((user) => ({ ...user, accessKeys: user.accessKeys?.map((key) => ({ ...key })) }));
  const changed = new Set<string>();
  const deleted = new Set<string>();
  // Spread over the listing: every (length / changes)th user, starting past the first.
  const step = Math.floor(before.length / changes);
  for (let change = 0; change < changes; change += 1) {
    const user = after[1 + change * step]!;
    const keys = user.accessKeys!;
    switch (change % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        keys.push({ accessKeyId: `AKIABENCHNEW${String(change).padStart(6, '0')}`, status: 'Active', createDate: new Date() });
        changed.add(user.userId);
        break;
      case 4:
      case 5:
        keys[0]!.status = 'Inactive';
        changed.add(user.userId);
        break;
      case 6:
      case 7:
        keys.shift();
        changed.add(user.userId);
        break;
      case 8:
        deleted.add(user.userId);
        break;
      case 9: {
        const id = `AIDABENCHNEW${String(change).padStart(9, '0')}`;
        after.push({
          userName: `bench-new-${change}`,
          userId: id,
          path: '/',
          accessKeys: [{ accessKeyId: `AKIABENCHNU${String(change).padStart(7, '0')}`, status: 'Active', createDate: new Date() }],
        });
        changed.add(id);
        break;
      }
    }
  }
  return { after: after.filter((user) => !deleted.has(user.userId)), changed, deleted };
}

/** The user every remediation run fixes: one key in use, one never used. */
export function remediationUser(): FakeUser {
  const now = Date.now();
  return {
    userName: 'bench-alice',
    userId: 'AIDABENCHALICE000001',
    path: '/',
    accessKeys: [
      {
        accessKeyId: 'AKIABENCHALICEKEYUSED',
        status: 'Active',
        createDate: new Date(now - 400 * 86_400_000),
        lastUsed: { date: new Date(now - 86_400_000), serviceName: 's3', region: 'us-east-1' },
      },
      { accessKeyId: 'AKIABENCHALICEKEYIDLE', status: 'Active', createDate: new Date(now - 2 * 86_400_000) },
    ],
  };
}
