import type { ApolloServerPlugin } from "@apollo/server";
import { type ASTNode, type DocumentNode, GraphQLError, Kind, visit } from "graphql";

/**
 * Text the database cannot store or compare is refused at the edge, once for every input: a NUL
 * (U+0000) or a lone surrogate in any string — argument literals, input-object fields, lists,
 * variables and their defaults — is BAD_USER_INPUT naming where it sits, before any resolver runs.
 * (PostgreSQL refuses NUL in text; a lone surrogate is not UTF-8.)
 */

const unsafeText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is text PostgreSQL can hold: no NUL, no lone surrogate. */
export function isSafeText(text: string): boolean {
  return !unsafeText.test(text);
}

function refuse(path: string): GraphQLError {
  return new GraphQLError(`\`${path}\` must not contain NUL (U+0000) or unpaired surrogate characters`, {
    extensions: { code: "BAD_USER_INPUT", argument: path, http: { status: 400 } },
  });
}

/** The path of the first unsafe string (or object key) in a variable's value, if any. */
export function findUnsafeValue(value: unknown, path: string): string | undefined {
  // An explicit stack: a deeply nested variable must not overflow the call stack.
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (typeof current === "string") {
      if (!isSafeText(current)) return at;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push([current[i], `${at}.${i}`]);
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, item] = entries[i]!;
        if (!isSafeText(key)) return at;
        stack.push([item, `${at}.${key}`]);
      }
    }
  }
  return undefined;
}

/** The path (argument, input fields, list indexes) of the first unsafe string literal in a document. */
export function findUnsafeLiteral(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    StringValue(node, _key, parent, path, ancestors) {
      if (found !== undefined || isSafeText(node.value)) return;
      const names: string[] = [];
      const chain = [...ancestors, parent] as readonly (ASTNode | readonly ASTNode[])[];
      for (let i = 0; i < chain.length; i += 1) {
        const ancestor = chain[i]!;
        if (Array.isArray(ancestor)) continue;
        const node = ancestor as ASTNode;
        if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) names.push(node.name.value);
        else if (node.kind === Kind.VARIABLE_DEFINITION) names.push(`$${node.variable.name.value}`);
        // ancestors[i][path[i]] is ancestors[i + 1]: a list's `values`, then the item's index
        else if (node.kind === Kind.LIST && path[i + 1] !== undefined) names.push(String(path[i + 1]));
      }
      found = names.join(".") || "query";
    },
  });
  return found;
}

/** Refuses NUL and lone surrogates in every string input, literals and variables alike. */
export const inputHygienePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const literal = findUnsafeLiteral(document);
        if (literal !== undefined) throw refuse(literal);
        for (const [name, value] of Object.entries(request.variables ?? {})) {
          if (!isSafeText(name)) throw refuse("$");
          const at = findUnsafeValue(value, `$${name}`);
          if (at !== undefined) throw refuse(at);
        }
      },
    };
  },
};
