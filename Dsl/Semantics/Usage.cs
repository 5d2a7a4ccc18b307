using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Which declarations of a file its models use, read from the syntax alone (a block
/// is used even where it is only called under a condition that is false today). A `let`,
/// `block` or `network` no model reaches, directly or through others, is unused.</summary>
internal static class Usage
{
    /// <summary>The unused declarations of a file, in file order; none for a file without
    /// models, which is a library of blocks for other files.</summary>
    public static IReadOnlyList<Declaration> Unused(SourceFileSyntax syntax)
    {
        var globals = new Dictionary<string, Declaration>(StringComparer.Ordinal);
        foreach (var declaration in syntax.Declarations)
        {
            if (!globals.ContainsKey(declaration.Name.Name)) globals.Add(declaration.Name.Name, declaration);
        }

        var models = globals.Values.OfType<ModelDeclaration>().ToList();
        if (models.Count == 0) return Array.Empty<Declaration>();

        var reached = new HashSet<Declaration>(models);
        var pending = new Stack<Declaration>(models);
        while (pending.Count > 0)
        {
            foreach (var name in References(pending.Pop()))
            {
                if (globals.TryGetValue(name, out var target) && reached.Add(target)) pending.Push(target);
            }
        }

        return syntax.Declarations
            .Where(d => d is not ModelDeclaration && globals.TryGetValue(d.Name.Name, out var first) && ReferenceEquals(first, d) && !reached.Contains(d))
            .ToList();
    }

    /// <summary>Global names a declaration mentions (parameters and loop variables shadow them).</summary>
    private static IEnumerable<string> References(Declaration declaration)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var locals = new HashSet<string>(StringComparer.Ordinal);
        var (parameters, body) = declaration switch
        {
            BlockDeclaration b => (b.Parameters, b.Body),
            NetworkDeclaration n => (n.Parameters, n.Body),
            LetDeclaration l => ((IReadOnlyList<Parameter>)Array.Empty<Parameter>(), l.Value),
            ModelDeclaration m => (Array.Empty<Parameter>(), m.Body),
            _ => (Array.Empty<Parameter>(), (Expression?)null),
        };
        foreach (var parameter in parameters) locals.Add(parameter.Name.Name);
        foreach (var parameter in parameters)
        {
            if (parameter.Default is not null) Walk(parameter.Default, locals, found);
        }

        if (body is not null) Walk(body, locals, found);
        return found;
    }

    /// <summary>Walks an expression with an explicit stack: the tree may be as deep as the
    /// parser allows, and this must never be what overflows.</summary>
    private static void Walk(Expression root, HashSet<string> rootLocals, HashSet<string> found)
    {
        var work = new Stack<(Expression Expression, HashSet<string> Locals)>();
        work.Push((root, rootLocals));
        while (work.Count > 0)
        {
            var (expression, locals) = work.Pop();
            switch (expression)
            {
                case NameExpression name:
                    if (!locals.Contains(name.Name.Name)) found.Add(name.Name.Name);
                    break;
                case CallExpression call:
                    if (!locals.Contains(call.Callee.Name)) found.Add(call.Callee.Name);
                    foreach (var argument in call.Arguments) work.Push((argument.Value, locals));
                    break;
                case StringLiteral text:
                    // Names inside {...} parts; a local of the same name only hides a use.
                    foreach (var name in NamesInBraces(text.Value)) found.Add(name);
                    break;
                case ListExpression list:
                    foreach (var item in list.Items) work.Push((item, locals));
                    break;
                case SequenceExpression sequence:
                    foreach (var item in sequence.Items) work.Push((item, locals));
                    break;
                case ConcatExpression concat:
                    foreach (var branch in concat.Branches) work.Push((branch, locals));
                    break;
                case LabeledExpression labeled:
                    if (labeled.Label is StringLiteral) work.Push((labeled.Label, locals));
                    work.Push((labeled.Body, locals));
                    break;
                case GuardedExpression guarded:
                    work.Push((guarded.Body, locals));
                    work.Push((guarded.Condition, locals));
                    break;
                case IfExpression conditional:
                    work.Push((conditional.Condition, locals));
                    work.Push((conditional.Then, locals));
                    if (conditional.Else is not null) work.Push((conditional.Else, locals));
                    break;
                case ForExpression loop:
                    work.Push((loop.Source, locals));
                    work.Push((loop.Body, new HashSet<string>(locals, StringComparer.Ordinal) { loop.Variable.Name }));
                    break;
                case RepeatExpression repeat:
                    work.Push((repeat.Count, locals));
                    work.Push((repeat.Body, locals));
                    break;
                case BinaryExpression binary:
                    work.Push((binary.Left, locals));
                    work.Push((binary.Right, locals));
                    break;
                case UnaryExpression unary:
                    work.Push((unary.Operand, locals));
                    break;
                case IndexExpression index:
                    work.Push((index.Target, locals));
                    work.Push((index.Index, locals));
                    break;
            }
        }
    }

    private static IEnumerable<string> NamesInBraces(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (depth > 0 && (char.IsLetter(c) || c == '_') && (i == 0 || !CnnTokenizer.IsWordChar(text[i - 1])))
            {
                var start = i;
                while (i + 1 < text.Length && CnnTokenizer.IsWordChar(text[i + 1])) i++;
                yield return text.Substring(start, i - start + 1);
            }
        }
    }
}
