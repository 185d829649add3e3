// A TypeScript transformer for the production build: every argument passed to a
// parameter typed `ErrorMessage` (src/errors.ts: PeerixError, toPeerixError and
// helpers that forward to them) is replaced by '' when it is built from string
// literals (a literal, a template, `a ? 'x' : 'y'`, `'x' + y`). PeerixError then
// says its code, a few words and where docs/errors.md explains it. Arguments
// that are not literals (a variable, `error.message`) are kept: they carry runtime
// detail and cost no literal bytes.
import ts from 'typescript';

/** True when `node` is text written in the source (a literal, a template, or made of them). */
function isLiteralText(node) {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return isLiteralText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isConditionalExpression(node)) return isLiteralText(node.whenTrue) || isLiteralText(node.whenFalse);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return isLiteralText(node.left) || isLiteralText(node.right);
  return false;
}

/** The declared type name of parameter `index` of the called signature, if it is a plain reference. */
function parameterTypeName(checker, call, index) {
  const signature = checker.getResolvedSignature(call);
  const params = signature?.declaration?.parameters;
  if (!params) return undefined;
  const last = params[params.length - 1];
  const param = index < params.length ? params[index] : last?.dotDotDotToken ? last : undefined;
  if (!param || param.dotDotDotToken) return undefined;
  const type = param.type;
  return type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) ? type.typeName.text : undefined;
}

/**
 * `before` transformer factory for `program.emit`. `stats.stripped` counts the
 * replaced arguments (the build prints it).
 */
export function stripErrorMessages(program, stats = { stripped: 0 }) {
  const checker = program.getTypeChecker();
  return (context) => {
    const { factory } = context;
    const visit = (node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.length) {
        const original = ts.getOriginalNode(node);
        let changed = false;
        const args = node.arguments.map((arg, i) => {
          if (!isLiteralText(arg) || parameterTypeName(checker, original, i) !== 'ErrorMessage') return arg;
          changed = true;
          stats.stripped++;
          return factory.createStringLiteral('');
        });
        const visitedArgs = args.map((arg) => ts.visitNode(arg, visit));
        if (changed || visitedArgs.some((a, i) => a !== node.arguments[i])) {
          const callee = ts.visitNode(node.expression, visit);
          return ts.isCallExpression(node)
            ? factory.updateCallExpression(node, callee, node.typeArguments, visitedArgs)
            : factory.updateNewExpression(node, callee, node.typeArguments, visitedArgs);
        }
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => ts.visitNode(file, visit);
  };
}
