import type { HelperDelegate } from 'handlebars';

/** The few formatting helpers templates may use; decisions belong in controllers. */
export function registerViewHelpers(handlebars: { registerHelper(name: string, fn: HelperDelegate): void }) {
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('year', () => new Date().getUTCFullYear());
}
