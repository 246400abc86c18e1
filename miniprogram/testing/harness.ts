/**
 * Runs the mini program in jest: a fresh app per test (fresh modules, a fake `wx`), its
 * `App()` launched, and pages and components rendered with miniprogram-simulate.
 *
 * The sources are TypeScript, so simulate cannot run a page's `index.js` itself. Instead the
 * harness requires the page's `index.ts` through jest (ts-jest compiles it), captures the
 * definition the page hands to the global `Component()`, and registers it with its WXML and
 * its `usingComponents` through `simulate.load(definition)`.
 */
import * as fs from 'fs';
import * as path from 'path';
import jComponent from 'j-component';
import simulate from 'miniprogram-simulate';
import type { LocalCloudConnection, MiniProgramConfig } from '../config';
import { createFakeWx, type FakeWx, type FakeWxOptions } from './fake-wx';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '..');

type Definition = WechatMiniprogram.Component.TrivialOption;
type Rendered = ReturnType<typeof simulate.render>;
type Node = NonNullable<ReturnType<Rendered['querySelector']>>;

interface AppOptions {
  onLaunch?: () => void;
}

const globals = globalThis as unknown as Record<string, unknown>;
let componentIds = new Map<string, string>();

registerBuiltInsWithProperties();

export interface LaunchOptions extends FakeWxOptions {
  /** Overrides of config.localCloud (the switch still needs envVersion 'develop'). */
  localCloud?: Partial<LocalCloudConnection>;
  envId?: string;
  /** Runs before the launch: set function answers, a login that never answers, ... */
  prepare?: (fake: FakeWx) => void;
}

/** A fresh mini program (modules, state, storage) launched on a fake `wx`. */
export function launchApp(options: LaunchOptions = {}): FakeWx {
  jest.resetModules();
  componentIds = new Map();
  const fake = createFakeWx(options);
  options.prepare?.(fake);
  globals.wx = fake.wx;
  const { config } = jest.requireActual<{ config: MiniProgramConfig }>(path.join(MINIPROGRAM_ROOT, 'config.ts'));
  Object.assign(config.localCloud, options.localCloud ?? {});
  if (options.envId !== undefined) config.envId = options.envId;
  let app: AppOptions = {};
  globals.App = (definition: AppOptions) => {
    app = definition;
  };
  jest.requireActual(path.join(MINIPROGRAM_ROOT, 'app.ts'));
  app.onLaunch?.();
  return fake;
}

/** Renders a page or component (path relative to miniprogram/, without extension) and attaches it. */
export function render(componentPath: string, properties: Record<string, unknown> = {}): Rendered {
  const id = register(path.join(MINIPROGRAM_ROOT, componentPath), 'main');
  const rendered = simulate.render(id, properties);
  rendered.attach(document.createElement('parent-wrapper'));
  return rendered;
}

/** Lets pending promises, timers of 0 ms and setData settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

export function textOf(rendered: Rendered | Node): string {
  return (rendered.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function find(rendered: Rendered, selector: string): Node {
  const node = rendered.querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  return node;
}

export function has(rendered: Rendered, selector: string): boolean {
  return rendered.querySelector(selector) !== undefined;
}

/** Dispatches an event on the node matching the selector, then lets the handlers run. */
export async function fire(rendered: Rendered, selector: string, event: string, detail: object = {}): Promise<void> {
  find(rendered, selector).dispatchEvent(event, { detail });
  await settle();
}

export function tap(rendered: Rendered, selector: string): Promise<void> {
  return fire(rendered, selector, 'tap');
}

/** A property bound on a built-in component, e.g. an image's `src`. */
export function prop(rendered: Rendered, selector: string, name: string): unknown {
  return (find(rendered, selector).data as Record<string, unknown>)[name];
}

function register(componentPath: string, tagName: string): string {
  const known = componentIds.get(componentPath);
  if (known) return known;
  const json = JSON.parse(fs.readFileSync(`${componentPath}.json`, 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const usingComponents: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    const targetPath = target.startsWith('/')
      ? path.join(MINIPROGRAM_ROOT, target)
      : path.resolve(path.dirname(componentPath), target);
    usingComponents[tag] = register(targetPath, tag);
  }
  const id = simulate.load({
    ...captureDefinition(componentPath),
    tagName,
    template: fs.readFileSync(`${componentPath}.wxml`, 'utf8'),
    usingComponents,
  }) as unknown as string;
  componentIds.set(componentPath, id);
  return id;
}

/** Runs the component's module and returns what it passed to `Component()`. */
function captureDefinition(componentPath: string): Definition {
  let definition: Definition | undefined;
  const previous = globals.Component;
  globals.Component = (options: Definition) => {
    definition = options;
  };
  try {
    jest.requireActual(`${componentPath}.ts`);
  } finally {
    globals.Component = previous;
  }
  if (!definition) throw new Error(`${componentPath}.ts did not call Component() (already loaded?)`);
  return definition;
}

/**
 * simulate registers built-in components as bare `<slot/>` wrappers, which drop their attributes.
 * Re-registered with the properties the tests read (an image's src, an input's value, ...).
 */
function registerBuiltInsWithProperties(): void {
  const builtIns: Record<string, string[]> = {
    image: ['src', 'mode'],
    input: ['value', 'type', 'name', 'placeholder', 'maxlength'],
    button: ['openType', 'formType', 'type', 'loading', 'disabled'],
    progress: ['percent'],
  };
  for (const [name, properties] of Object.entries(builtIns)) {
    jComponent.register({
      id: name,
      tagName: `wx-${name}`,
      template: '<slot/>',
      properties: Object.fromEntries(properties.map((property) => [property, { type: null, value: null }])),
    });
  }
}
