import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Limits on hostile GraphQL documents, checked during validation (before any resolver runs, so a
 * refusal costs the server little): aliases, and a cost = number of fields after expanding
 * fragments, with list fields weighted by their `first` argument. Depth is limited by Mercurius
 * (`queryDepth`), request size by Fastify (`bodyLimit`), batches in graphql.config.ts.
 */
export interface GraphqlLimits {
  maxAliases: number;
  maxCost: number;
  introspection: boolean;
}

function countAliases(ctx: ValidationContext, max: number): ASTVisitor {
  let aliases = 0;
  return {
    Field(node) {
      if (node.alias) aliases += 1;
      if (aliases === max + 1) {
        ctx.reportError(
          new GraphQLError(`too many aliases: at most ${max} per operation`, {
            nodes: [node],
            extensions: { limit: 'aliases' },
          }),
        );
      }
    },
  };
}

function costOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
  multiplier: number,
): number {
  if (!set) return 0;
  let cost = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      // introspection is governed by its own switch (GRAPHQL_INTROSPECTION), not by the cost
      if (s.name.value.startsWith('__')) continue;
      const first = s.arguments?.find((a) => a.name.value === 'first');
      const n =
        first && first.value.kind === Kind.INT
          ? Math.max(1, Number(first.value.value))
          : s.selectionSet
            ? 10
            : 1;
      cost +=
        multiplier +
        costOf(s.selectionSet, fragments, seen, s.selectionSet ? multiplier * Math.min(n, 500) : multiplier);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(s.selectionSet, fragments, seen, multiplier);
    } else if (!seen.has(s.name.value)) {
      const f = fragments[s.name.value];
      seen.add(s.name.value);
      cost += costOf(f?.selectionSet, fragments, seen, multiplier);
      seen.delete(s.name.value);
    }
  }
  return cost;
}

function limitCost(ctx: ValidationContext, max: number): ASTVisitor {
  return {
    OperationDefinition(node) {
      const doc = ctx.getDocument();
      const fragments = Object.fromEntries(
        doc.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      const cost = costOf(node.selectionSet, fragments, new Set(), 1);
      if (cost > max) {
        ctx.reportError(
          new GraphQLError(`query too costly: ${cost} > ${max} (ask for fewer fields or smaller pages)`, {
            nodes: [node],
            extensions: { limit: 'cost', cost },
          }),
        );
      }
    },
  };
}

export function limitRules(l: GraphqlLimits): ValidationRule[] {
  const rules: ValidationRule[] = [
    (ctx) => countAliases(ctx, l.maxAliases),
    (ctx) => limitCost(ctx, l.maxCost),
  ];
  if (!l.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}
