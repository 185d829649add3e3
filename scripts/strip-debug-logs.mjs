// A TypeScript transformer for the production build: debug logging is a
// development feature, as the long error messages are. Every call of a
// `DebugLogger` (src/debug.ts: `const debug = createDebug('peerix:…')`) becomes
// `void 0`, its arguments dropped (they must be plain reads: no side effects),
// and every `createDebug(…)` call is marked pure, so a bundler drops the
// now-unused loggers and src/debug.ts with them. `createDebug` itself stays
// public and works in both builds; only the engine's own log lines go.
import ts from 'typescript';

/** True when `node`'s type is the `DebugLogger` alias (src/debug.ts). */
function isDebugLogger(checker, node) {
  const type = checker.getTypeAtLocation(node);
  return type?.aliasSymbol?.name === 'DebugLogger';
}

/** True when `call` calls `createDebug` (src/debug.ts). */
function isCreateDebug(checker, call) {
  const declaration = checker.getResolvedSignature(call)?.declaration;
  return !!declaration && ts.isFunctionDeclaration(declaration) && declaration.name?.text === 'createDebug';
}

/**
 * `before` transformer factory for `program.emit`. `stats.logs` counts the
 * removed log calls (the build prints it).
 */
export function stripDebugLogs(program, stats = { logs: 0 }) {
  const checker = program.getTypeChecker();
  return (context) => {
    const { factory } = context;
    const visit = (node) => {
      if (ts.isCallExpression(node)) {
        const original = ts.getOriginalNode(node);
        if (ts.isCallExpression(original) && isDebugLogger(checker, original.expression)) {
          stats.logs++;
          return factory.createVoidZero();
        }
        if (ts.isCallExpression(original) && isCreateDebug(checker, original)) {
          // A new node: a comment added to the parsed one would reach the development emit too.
          const pure = ts.setOriginalNode(ts.setTextRange(factory.createCallExpression(node.expression, node.typeArguments, node.arguments), node), node);
          return ts.addSyntheticLeadingComment(pure, ts.SyntaxKind.MultiLineCommentTrivia, '@__PURE__', false);
        }
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => ts.visitNode(file, visit);
  };
}
