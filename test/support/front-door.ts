import type { TestApiSetup, Credentials } from "./api.js";

/**
 * Fixtures made and read through GraphQL (the front door), so tests hold the IDs the API returns.
 * Every call fails loudly: a fixture that did not work would only make later assertions confusing.
 */
export function frontDoor(setup: TestApiSetup) {
  const admin = () => setup.callers.credentials.admin;

  async function read(query: string, variables?: Record<string, unknown>, as: Credentials = admin()): Promise<any> {
    const result = await setup.api.run(query, variables, as);
    if (result.errors) throw new Error(`fixture query failed: ${query}\n${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** Runs `<field>(input:)` (input type `<Field>Input`) and returns its payload; any userError throws. */
  async function mutate(field: string, input: Record<string, unknown>, select: string, as: Credentials = admin()): Promise<any> {
    const inputType = `${field.charAt(0).toUpperCase()}${field.slice(1)}Input`;
    const data = await read(`mutation ($input: ${inputType}!) { ${field}(input: $input) { ${select} userErrors { code field message } } }`, { input }, as);
    if (data[field].userErrors.length) throw new Error(`fixture ${field} failed: ${JSON.stringify(data[field].userErrors)}`);
    return data[field];
  }

  return { read, mutate };
}
