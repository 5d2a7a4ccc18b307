using System;
using System.Collections.Generic;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Whether a block or network reads <c>input</c>, read from its syntax (body and parameter
/// defaults, the <c>{...}</c> parts of strings included): such a block is expanded where it is
/// used, once the shape it receives there is known. A block that reads it only under a condition
/// that is false today still counts.</summary>
internal sealed class InputReads
{
    private readonly Dictionary<Declaration, bool> _known = new();

    public bool Of(Declaration declaration)
    {
        if (_known.TryGetValue(declaration, out var reads)) return reads;
        var (parameters, body) = declaration switch
        {
            BlockDeclaration b => (b.Parameters, b.Body),
            NetworkDeclaration n => (n.Parameters, n.Body),
            _ => (Array.Empty<Parameter>(), (Expression?)null),
        };
        var roots = new List<Expression>();
        foreach (var parameter in parameters)
        {
            if (parameter.Default is not null) roots.Add(parameter.Default);
        }

        if (body is not null) roots.Add(body);
        reads = roots.Exists(Reads);
        _known[declaration] = reads;
        return reads;
    }

    /// <summary>Walks with an explicit stack: the tree may be as deep as the parser allows.</summary>
    private static bool Reads(Expression root)
    {
        var work = new Stack<Expression>();
        work.Push(root);
        while (work.Count > 0)
        {
            switch (work.Pop())
            {
                case InputExpression:
                    return true;
                case StringLiteral text when MentionsInputInBraces(text.Value):
                    return true;
                case CallExpression call:
                    foreach (var argument in call.Arguments) work.Push(argument.Value);
                    break;
                case ListExpression list:
                    foreach (var item in list.Items) work.Push(item);
                    break;
                case SequenceExpression sequence:
                    foreach (var item in sequence.Items) work.Push(item);
                    break;
                case ConcatExpression concat:
                    foreach (var branch in concat.Branches) work.Push(branch);
                    break;
                case LabeledExpression labeled:
                    work.Push(labeled.Label);
                    work.Push(labeled.Body);
                    break;
                case GuardedExpression guarded:
                    work.Push(guarded.Body);
                    work.Push(guarded.Condition);
                    break;
                case IfExpression conditional:
                    work.Push(conditional.Condition);
                    work.Push(conditional.Then);
                    if (conditional.Else is not null) work.Push(conditional.Else);
                    break;
                case ForExpression loop:
                    work.Push(loop.Source);
                    work.Push(loop.Body);
                    break;
                case RepeatExpression repeat:
                    work.Push(repeat.Count);
                    work.Push(repeat.Body);
                    break;
                case BinaryExpression binary:
                    work.Push(binary.Left);
                    work.Push(binary.Right);
                    break;
                case UnaryExpression unary:
                    work.Push(unary.Operand);
                    break;
                case IndexExpression index:
                    work.Push(index.Target);
                    work.Push(index.Index);
                    break;
            }
        }

        return false;
    }

    /// <summary>The word <c>input</c> inside a string's braces: there it can only be the keyword.</summary>
    private static bool MentionsInputInBraces(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (depth > 0 && c == 'i' && (i == 0 || !CnnTokenizer.IsWordChar(text[i - 1]))
                && string.CompareOrdinal(text, i, "input", 0, 5) == 0 && (i + 5 == text.Length || !CnnTokenizer.IsWordChar(text[i + 5])))
            {
                return true;
            }
        }

        return false;
    }
}
