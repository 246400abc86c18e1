/**
 * esbuild plugins that cut the cold start of the bundled wx-server-sdk. The SDK (through
 * @cloudbase/node-sdk) eagerly loads AI, cloud-run, data-model, analytics, storage and auth
 * clients that login and saveProfile never touch; most of its start-up is V8 compiling and
 * running them. Behaviour is unchanged: a lazy module loads on first property access.
 *
 * - lazyModulesPlugin: node-sdk's own optional modules stay in the bundle but run on first use.
 * - splitPackagesPlugin: self-contained third-party packages go to files of their own beside
 *   the bundle (`wx-server-sdk.<package>.js`), loaded on first use, so start-up never compiles them.
 */

const LAZY_IN_NODE_SDK = [
  '@cloudbase/wx-cloud-client-sdk',
  './ai',
  './cloudrun',
  './analytics',
  './notification',
  './storage',
  './functions',
  './auth',
  './wx',
];

/** Packages with no state shared with the rest of the SDK (data, parsers, the AI client). */
const SPLIT_PACKAGES = [
  'mime-types',
  'mime-db',
  'xml2js',
  'jsonwebtoken',
  '@cloudbase/ai',
  '@cloudbase/wx-cloud-client-sdk',
  '@cloudbase/adapter-wx_mp',
  '@cloudbase/app',
  'web-streams-polyfill',
  'axios',
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const exactly = (names) => new RegExp(`^(${names.map(escape).join('|')})$`);

/** A module whose exports are loaded by `requireExpression` on first access. */
function lazyProxySource(requireExpression) {
  return `
let loaded;
const load = () => (loaded === undefined ? (loaded = ${requireExpression}) : loaded);
module.exports = new Proxy({}, {
  get(_, key) {
    if (key === '__esModule') return true;
    const mod = load();
    if (key === 'default') return mod && mod.__esModule ? mod.default : mod;
    return mod[key];
  },
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor(_, key) {
    const descriptor = Object.getOwnPropertyDescriptor(load(), key);
    if (descriptor) descriptor.configurable = true;
    return descriptor;
  },
});`;
}

const lazyModulesPlugin = {
  name: 'lazy-node-sdk-modules',
  setup(build) {
    build.onResolve({ filter: exactly(LAZY_IN_NODE_SDK) }, async (args) => {
      if (args.pluginData?.lazyResolving) return undefined;
      if (!/[\\/]@cloudbase[\\/]node-sdk[\\/]dist[\\/]/.test(args.importer)) return undefined;
      const real = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: { lazyResolving: true },
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-module' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => ({
      contents: lazyProxySource(`require(${JSON.stringify(args.path)})`),
      loader: 'js',
      resolveDir: __dirname,
    }));
  },
};

const splitFileName = (baseName, pkg) => `${baseName}.${pkg.replace('@', '').replace('/', '__')}.js`;

/**
 * Replaces imports of SPLIT_PACKAGES with lazy proxies requiring `./<baseName>.<pkg>.js`.
 * `found` collects, per package, the folder it was resolved from, to build those files.
 */
function splitPackagesPlugin(baseName, found) {
  return {
    name: 'split-packages',
    setup(build) {
      build.onResolve({ filter: exactly(SPLIT_PACKAGES) }, (args) => {
        if (!found.has(args.path)) found.set(args.path, args.resolveDir);
        return { path: args.path, namespace: 'split-package' };
      });
      build.onLoad({ filter: /.*/, namespace: 'split-package' }, (args) => ({
        contents: lazyProxySource(`require(${JSON.stringify(`./${splitFileName(baseName, args.path)}`)})`),
        loader: 'js',
        resolveDir: __dirname,
      }));
      build.onResolve({ filter: new RegExp(`^\\./${escape(baseName)}\\..+\\.js$`) }, (args) => ({
        path: args.path,
        external: true,
      }));
    },
  };
}

module.exports = { lazyModulesPlugin, splitPackagesPlugin, splitFileName, SPLIT_PACKAGES };
