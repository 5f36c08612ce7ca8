import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import {
  type ConfigurationRecorder,
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  type RecordingGroup,
} from '@aws-sdk/client-config-service';
import type { ClientProvider } from './awsClients';
import { describeCause } from './errors';
import { forEachConcurrently } from './forEachConcurrently';
import { logger } from './logger';

/**
 * The global IAM resource types: a recording group of all supported types leaves them out unless
 * `includeGlobalResourceTypes` is true, and only regions where Config existed before February
 * 2022 can record them at all.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingGroup.html
 */
export const GLOBAL_IAM_RESOURCE_TYPES: readonly string[] = ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::Policy'];

/** Whether the account's configuration recorder of a region records a resource type, and how the check went. */
export interface RecordingCheck {
  /** The region checked: the one the rule runs in. */
  region: string;
  resourceType: string;
  /** Whether this region's recorder records the type; undefined when the region could not be asked (see `unchecked`). */
  recordedHere?: boolean;
  /** Why, in the recorder's own terms: what its recording group records, or that there is no recorder. */
  detail: string;
  /**
   * When not recorded here: the account's other enabled regions whose recorder records the type;
   * undefined when the regions could not be listed (see `unchecked`). Not asked when recorded here.
   */
  recordedIn?: string[];
  /** Regions (or `account:ListRegions`) that could not be asked, and why. */
  unchecked: { region: string; reason: string }[];
}

/**
 * Whether a recording group records `resourceType`, and why, as AWS documents the group: the
 * exclusion strategy overrides every other field; the inclusion strategy (or specific types
 * without a strategy) records the listed types; all supported types leave out the global IAM
 * types unless `includeGlobalResourceTypes` is true or they are listed. No group is the default:
 * all supported types without the global IAM types.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingGroup.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingStrategy.html
 */
export function groupRecords(group: RecordingGroup | undefined, resourceType: string): { records: boolean; detail: string } {
  const listed = (types: readonly string[] | undefined) => (types ?? []).includes(resourceType);
  const strategy = group?.recordingStrategy?.useOnly;
  if (strategy === 'EXCLUSION_BY_RESOURCE_TYPES') {
    return listed(group?.exclusionByResourceTypes?.resourceTypes)
      ? { records: false, detail: `excludes ${resourceType} (EXCLUSION_BY_RESOURCE_TYPES)` }
      : { records: true, detail: `records all supported types but those it excludes (EXCLUSION_BY_RESOURCE_TYPES)` };
  }
  const allSupported =
    group === undefined || strategy === 'ALL_SUPPORTED_RESOURCE_TYPES' || (strategy === undefined && group.allSupported === true);
  if (!allSupported) {
    return listed(group?.resourceTypes)
      ? { records: true, detail: `lists ${resourceType} (INCLUSION_BY_RESOURCE_TYPES)` }
      : { records: false, detail: `records only the types it lists, not ${resourceType} (INCLUSION_BY_RESOURCE_TYPES)` };
  }
  if (!GLOBAL_IAM_RESOURCE_TYPES.includes(resourceType))
    return { records: true, detail: 'records all supported types (ALL_SUPPORTED_RESOURCE_TYPES)' };
  if (group?.includeGlobalResourceTypes === true)
    return { records: true, detail: 'records all supported types, the global IAM types included (includeGlobalResourceTypes)' };
  if (listed(group?.resourceTypes)) return { records: true, detail: `records all supported types and lists ${resourceType}` };
  return { records: false, detail: 'records all supported types but not the global IAM types (includeGlobalResourceTypes is not true)' };
}

/** What a region's customer managed recorder (service-linked ones aside) says of `resourceType`. */
function recorderRecords(recorders: readonly ConfigurationRecorder[], resourceType: string): { records: boolean; detail: string } {
  // A service-linked recorder (servicePrincipal set) records for the service it is linked to, in
  // that service's scope; the account's own recording is its customer managed recorder.
  // https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
  const own = recorders.find((recorder) => recorder.servicePrincipal === undefined);
  if (!own) return { records: false, detail: 'it has no customer managed configuration recorder' };
  const { records, detail } = groupRecords(own.recordingGroup, resourceType);
  return { records, detail: `its recorder ${own.name ?? '(unnamed)'} ${detail}` };
}

/** Most regions asked at once. */
const REGIONS_AT_ONCE = 8;

/**
 * Whether the account records `resourceType` in the region of `clients`' Config client
 * (config:DescribeConfigurationRecorders), and when it does not, in which of the account's
 * enabled regions (account:ListRegions, then DescribeConfigurationRecorders in each): what to
 * name as the region to deploy in. Never throws: what could not be asked is in `unchecked`.
 */
export async function checkRecording(resourceType: string, clients: ClientProvider, abortSignal: AbortSignal): Promise<RecordingCheck> {
  const config = clients.get(ConfigServiceClient);
  let region: string;
  try {
    region = await config.config.region();
  } catch (error) {
    return {
      region: '(unknown)',
      resourceType,
      detail: 'the region could not be determined',
      unchecked: [{ region: '(unknown)', reason: describeCause(error) }],
    };
  }
  const ask = async (client: ConfigServiceClient) => {
    const { ConfigurationRecorders: recorders = [] } = await client.send(new DescribeConfigurationRecordersCommand({}), { abortSignal });
    return recorderRecords(recorders, resourceType);
  };
  let here;
  try {
    here = await ask(config);
  } catch (error) {
    return {
      region,
      resourceType,
      detail: 'config:DescribeConfigurationRecorders failed',
      unchecked: [{ region, reason: describeCause(error) }],
    };
  }
  if (here.records) return { region, resourceType, recordedHere: true, detail: here.detail, unchecked: [] };

  const check: RecordingCheck = { region, resourceType, recordedHere: false, detail: here.detail, unchecked: [] };
  let others: string[];
  try {
    others = await enabledRegions(clients, abortSignal);
  } catch (error) {
    check.unchecked.push({ region: 'account:ListRegions', reason: describeCause(error) });
    return check;
  }
  const recordedIn: string[] = [];
  async function* each() {
    yield* others.filter((other) => other !== region);
  }
  await forEachConcurrently(each(), REGIONS_AT_ONCE, async (other) => {
    try {
      if ((await ask(clients.get(ConfigServiceClient, other))).records) recordedIn.push(other);
    } catch (error) {
      check.unchecked.push({ region: other, reason: describeCause(error) });
    }
  });
  check.recordedIn = recordedIn.sort();
  check.unchecked.sort((a, b) => (a.region < b.region ? -1 : 1));
  return check;
}

/**
 * The regions enabled for the account (enabled by default, or opted in): where a recorder can be.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html
 */
async function enabledRegions(clients: ClientProvider, abortSignal: AbortSignal): Promise<string[]> {
  const regions: string[] = [];
  const pages = paginateListRegions(
    { client: clients.get(AccountClient) },
    { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
    { abortSignal },
  );
  for await (const page of pages) for (const found of page.Regions ?? []) if (found.RegionName) regions.push(found.RegionName);
  return regions;
}

/** The check gives up on regions not answered by then: it must never hold a run up. */
const RECORDING_CHECK_TIMEOUT_MS = 10_000;

/**
 * A periodic run's check of the region (checkRecording, at most 10 s, stopped with the run) and
 * what the rule says of it (`notice`), logged once as a warning when there is something to say.
 * Never rejects: a check that fails is in the result (`unchecked`), not an error of the run.
 */
export async function noticeRecording(
  resourceType: string,
  notice: (check: RecordingCheck) => string | undefined,
  clients: ClientProvider,
  abortSignal: AbortSignal,
): Promise<RecordingCheck & { notice?: string }> {
  const check = await checkRecording(
    resourceType,
    clients,
    AbortSignal.any([abortSignal, AbortSignal.timeout(RECORDING_CHECK_TIMEOUT_MS)]),
  );
  const text = notice(check);
  if (text === undefined) {
    logger.debug("The region records the rule's resource type", { recording: check });
    return check;
  }
  logger.warn(text, { recording: check });
  return { ...check, notice: text };
}
