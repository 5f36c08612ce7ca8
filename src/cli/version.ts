// The bundle (bin/build-cli.mjs) takes the version from package.json when it is built.
import { version } from '../../package.json';

/** The package's version, printed by --version. */
export const VERSION: string = version;
