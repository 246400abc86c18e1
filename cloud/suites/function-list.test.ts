/**
 * One list of functions. The contract (miniprogram/shared/api.ts) names them; a function is also
 * its source file (cloud/functions/<name>.ts), its cloudbaserc.json entry (what build, deploy and
 * the emulator read) and its scenario (testing/scenarios.ts, what the cross-function suites and
 * the bench run). cloudbaserc.json may also list a developer's plain JavaScript function (a folder
 * as WeChat DevTools makes it: its own index.js and package.json, no TypeScript source). Missing
 * from any of them, the suite or the compiler fails: shown here on scratch copies.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { FUNCTION_NAMES } from '@shared/api';

const ROOT = path.resolve(__dirname, '..', '..');
const FUNCTIONS_DIR = path.join(ROOT, 'cloud', 'functions');
const API = path.join(ROOT, 'miniprogram', 'shared', 'api.ts');
const SCENARIOS = path.join(ROOT, 'testing', 'scenarios.ts');

interface FunctionPlaces {
  contract: readonly string[];
  cloudbaserc: readonly string[];
  sources: readonly string[];
  /** The folder holding the deployable folders (cloudbaserc.json's functionRoot). */
  functionRoot: string;
}

function repositoryPlaces(cloudbaserc = fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')): FunctionPlaces {
  const rc = JSON.parse(cloudbaserc) as { functionRoot: string; functions: Array<{ name: string }> };
  return {
    contract: FUNCTION_NAMES,
    cloudbaserc: rc.functions.map((f) => f.name),
    sources: fs
      .readdirSync(FUNCTIONS_DIR)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => f.slice(0, -'.ts'.length)),
    functionRoot: path.join(ROOT, rc.functionRoot),
  };
}

/**
 * What disagrees: the contract and the sources must name the same functions, each in
 * cloudbaserc.json; any other name there must be a plain JavaScript function's folder.
 */
function problems(places: FunctionPlaces): string[] {
  const { contract, sources, cloudbaserc, functionRoot } = places;
  const lacking = (place: string, names: readonly string[], from: readonly string[]) =>
    from.filter((name) => !names.includes(name)).map((name) => `${place} misses ${name}`);
  const plainJavaScript = cloudbaserc
    .filter((name) => !sources.includes(name))
    .filter((name) => !['index.js', 'package.json'].every((file) => fs.existsSync(path.join(functionRoot, name, file))))
    .map(
      (name) => `cloudbaserc lists ${name}: neither a source file nor a folder with its own index.js and package.json`,
    );
  return [
    ...lacking('contract', contract, sources),
    ...lacking('sources', sources, contract),
    ...lacking('cloudbaserc', cloudbaserc, sources),
    ...plainJavaScript,
  ];
}

function withFunctions(edit: (functions: Array<Record<string, unknown>>) => Array<Record<string, unknown>>): string {
  const rc = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as {
    functions: Array<Record<string, unknown>>;
  };
  return JSON.stringify({ ...rc, functions: edit(rc.functions) });
}

describe('the places of a function', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'function-list-'));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** A function root holding a folder as DevTools makes one, with `files`. */
  function devToolsRoot(name: string, files: string[]): string {
    fs.mkdirSync(path.join(scratch, name), { recursive: true });
    for (const file of files) fs.writeFileSync(path.join(scratch, name, file), file === 'package.json' ? '{}' : '');
    return scratch;
  }

  it('agree: every function of the contract has its source file and its cloudbaserc.json entry', () => {
    expect(problems(repositoryPlaces())).toEqual([]);
  });

  it('allow cloudbaserc.json to list a plain JavaScript function: a folder with its own index.js and package.json', () => {
    const places = repositoryPlaces(
      withFunctions((functions) => [...functions, { ...functions[0], name: 'sendGift' }]),
    );
    const root = devToolsRoot('sendGift', ['index.js', 'package.json', 'config.json']);
    expect(problems({ ...places, functionRoot: root })).toEqual([]);
  });

  it.each([
    ['no folder', []],
    ['no package.json', ['index.js']],
    ['no index.js', ['package.json']],
  ])('disagree when cloudbaserc.json names a function without a source or a whole folder (%s)', (_case, files) => {
    const places = repositoryPlaces(
      withFunctions((functions) => [...functions, { ...functions[0], name: 'sendGift' }]),
    );
    const root = devToolsRoot('sendGift', files);
    expect(problems({ ...places, functionRoot: root })).toEqual([
      'cloudbaserc lists sendGift: neither a source file nor a folder with its own index.js and package.json',
    ]);
  });

  it('disagree when a source file has no cloudbaserc.json entry', () => {
    const places = repositoryPlaces(withFunctions((functions) => functions.filter((f) => f.name !== 'getProfile')));
    expect(problems(places)).toEqual(['cloudbaserc misses getProfile']);
  });

  it('disagree when the contract and the sources differ', () => {
    const places = repositoryPlaces();
    expect(problems({ ...places, sources: [...places.sources, 'sendGift'] })).toEqual([
      'contract misses sendGift',
      'cloudbaserc misses sendGift',
    ]);
    expect(problems({ ...places, contract: [...places.contract, 'sendGift'] })).toEqual(['sources misses sendGift']);
  });

  it.each(FUNCTION_NAMES)('%s: its source file exports the main of its own contract', (name) => {
    const { main } = require(path.join(FUNCTIONS_DIR, name)) as { main?: { functionName?: unknown } };
    expect(typeof main).toBe('function');
    expect(main?.functionName).toBe(name);
  });
});

describe('the compiler refuses a function the contract and the scenarios disagree about', () => {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  // The scenarios and what they import need no test-runner types: fewer files to check.
  const options = { ...config.options, types: ['node'] };
  let previous: ts.Program | undefined;

  /** Type errors of the scenarios and everything they import, with some files replaced. */
  function errorsWith(replaced: Record<string, string>): string[] {
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) => replaced[path.resolve(file)] ?? readFile(file);
    const roots = [SCENARIOS, ...Object.keys(replaced)];
    previous = ts.createProgram({ rootNames: roots, options, host, oldProgram: previous });
    return ts
      .getPreEmitDiagnostics(previous)
      .map(
        (d) => `${path.relative(ROOT, d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      );
  }

  const api = fs.readFileSync(API, 'utf8');
  const withPingContract = api.replace(
    'export interface FunctionContracts {',
    'export interface FunctionContracts {\n  ping: { request: Record<string, never>; data: { pong: true } };',
  );
  const withPingDecoder = withPingContract.replace(
    '  login: decodeNothing,',
    '  login: decodeNothing,\n  ping: decodeNothing,',
  );

  it('compiles as it is', () => {
    expect(errorsWith({})).toEqual([]);
  }, 60_000);

  it('refuses a contract without its decoder', () => {
    expect(errorsWith({ [API]: withPingContract })).toEqual([
      expect.stringMatching(/^miniprogram\/shared\/api\.ts: Property 'ping' is missing/),
      expect.stringMatching(/^testing\/scenarios\.ts: Property 'ping' is missing/),
    ]);
  }, 60_000);

  it('refuses a contract without its scenario (the cross-function suites would skip it)', () => {
    expect(errorsWith({ [API]: withPingDecoder })).toEqual([
      expect.stringMatching(/^testing\/scenarios\.ts: Property 'ping' is missing/),
    ]);
  }, 60_000);

  it("refuses a function defined for a name the contract does not have, or answering another contract's data", () => {
    const source = path.join(FUNCTIONS_DIR, 'getProfile.ts');
    const original = fs.readFileSync(source, 'utf8');
    expect(
      errorsWith({ [source]: original.replace("defineFunction('getProfile'", "defineFunction('getProfiles'") }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cloud\/functions\/getProfile\.ts: Argument of type '"getProfiles"'/),
      ]),
    );
    expect(errorsWith({ [source]: original.replace("defineFunction('getProfile'", "defineFunction('login'") })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^cloud\/functions\/getProfile\.ts: /)]),
    );
  }, 60_000);

  it("refuses a scenario registering another function's main", () => {
    const scenarios = fs.readFileSync(SCENARIOS, 'utf8');
    const swapped = scenarios.replace('main: getProfile,', 'main: deleteAccount,');
    expect(swapped).not.toBe(scenarios);
    expect(errorsWith({ [SCENARIOS]: swapped })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^testing\/scenarios\.ts: Type 'CloudMain<"deleteAccount">' is not assignable to type 'CloudMain<"getProfile">'/,
        ),
      ]),
    );
  }, 60_000);
});
