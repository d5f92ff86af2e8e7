/** The package's own version, replaced at build time by tsup and in tests by vitest (`define`). */
declare const __PACKAGE_VERSION__: string;
