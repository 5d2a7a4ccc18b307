using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Text;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace CnnDsl.Dsl.Syntax;

/// <summary>Parses a .cnn file into a <see cref="SourceFileSyntax"/>. Errors never throw: each
/// top-level declaration is parsed on its own, so one broken declaration is reported and the
/// others are still parsed and checked.</summary>
public sealed partial class CnnParser
{
    /// <summary>Deeper nesting than this is reported instead of parsed: the combinators recurse,
    /// and a compiler host must never die of a stack overflow.</summary>
    public const int MaxNestingDepth = 32;

    private Token<CnnToken>[] _tokens = Array.Empty<Token<CnnToken>>();
    private readonly int _textLength;
    private readonly int _offset;
    private readonly TokenListParser<CnnToken, Declaration> _declaration;
    private TokenListParser<CnnToken, Expression> _expression = null!;

    private CnnParser(int textLength, int offset = 0)
    {
        _textLength = textLength;
        _offset = offset;
        _declaration = BuildGrammar();
    }

    public static SourceFileSyntax Parse(SourceFile source, DiagnosticBag diagnostics) => Parse(source, diagnostics, null);

    /// <summary>Parses a file; characters for which <paramref name="quiet"/> is true were already
    /// reported (invalid UTF-8) and are not reported again. Every range of the tree is shifted by
    /// <paramref name="offset"/>, where the file starts in its compilation's <see cref="SourceSet"/>.</summary>
    internal static SourceFileSyntax Parse(SourceFile source, DiagnosticBag diagnostics, Func<int, bool>? quiet, int offset = 0)
    {
        var tokens = CnnTokenizer.Tokenize(source.Text, out var errors, quiet);
        foreach (var error in errors)
        {
            diagnostics.Report(DiagnosticCodes.InvalidCharacter, new TextRange(offset + error.Range.Start, offset + error.Range.End), error.Message, error.Help);
        }

        var parser = new CnnParser(source.Text.Length, offset);
        return parser.ParseFile(tokens, diagnostics);
    }

    /// <summary>Parses the expression inside a string's <c>{...}</c>, which starts at
    /// <paramref name="offset"/> in the file, so its ranges point into the file.</summary>
    public static Expression? ParseEmbeddedExpression(string text, int offset, DiagnosticBag diagnostics)
    {
        var tokenized = CnnTokenizer.TryTokenize(text);
        if (!tokenized.HasValue || tokenized.Value.IsAtEnd)
        {
            diagnostics.Report(DiagnosticCodes.SyntaxError, new TextRange(offset, offset + text.Length),
                $"`{{{text}}}` in a string is not an expression", "write a name or arithmetic between the braces, such as {i + 1}");
            return null;
        }

        var parser = new CnnParser(text.Length, offset);
        var tokens = tokenized.Value.ToArray();
        if (!parser.WithinNestingLimit(tokens, diagnostics)) return null;
        parser._tokens = tokens;
        var result = parser._expression.AtEnd()(new TokenList<CnnToken>(tokens));
        if (result.HasValue) return result.Value;
        // Its input ends at the closing brace, which is where an early end is reported.
        parser.ReportSyntaxError(result, diagnostics, "unexpected `}`");
        return null;
    }

    private SourceFileSyntax ParseFile(Token<CnnToken>[] tokens, DiagnosticBag diagnostics)
    {
        string? ns = null;
        var declarations = new List<Declaration>();
        var imports = new List<ImportDirective>();
        var broken = new List<Identifier>();
        var failed = false;
        foreach (var whole in SplitAtDeclarations(tokens))
        {
            // A run of characters that starts no token is already reported. After the last token
            // (`let a = 1;`) it changes nothing: the declaration is parsed without it. Inside the
            // declaration it is a hole in it: the declaration is parsed without it only to find
            // mistakes before the hole; whatever fails after it is its echo, and the declaration
            // is dropped (its name noted, so uses of it stay quiet).
            var hole = Array.FindIndex(whole, t => t.Kind == CnnToken.None);
            var chunk = hole < 0 ? whole : Array.FindAll(whole, t => t.Kind != CnnToken.None);
            if (chunk.Length == 0) continue;
            long holeAt = hole < 0 ? long.MaxValue : whole[hole].Span.Position.Absolute;
            var lastToken = chunk[chunk.Length - 1].Span;
            var holeInside = holeAt < lastToken.Position.Absolute + lastToken.Length
                || Array.Exists(whole, t => t.Kind == CnnToken.None && IsPartOfAWord(t.Span));
            if (!WithinNestingLimit(chunk, diagnostics))
            {
                failed = true;
                NoteBroken(chunk, broken);
                continue;
            }

            _tokens = chunk;
            if (chunk[0].Kind == CnnToken.Namespace)
            {
                var nsResult = NamespaceDeclaration.AtEnd()(new TokenList<CnnToken>(chunk));
                if (nsResult.HasValue) ns = nsResult.Value;
                else if (FailureOffset(nsResult) < holeAt) ReportSyntaxError(nsResult, diagnostics);
                failed |= !nsResult.HasValue;
                continue;
            }

            if (chunk[0].Kind == CnnToken.Import)
            {
                var importResult = ImportLine.AtEnd()(new TokenList<CnnToken>(chunk));
                if (importResult.HasValue && !holeInside) imports.Add(importResult.Value);
                else if (!importResult.HasValue && FailureOffset(importResult) < holeAt) ReportSyntaxError(importResult, diagnostics);
                failed |= !importResult.HasValue || holeInside;
                continue;
            }

            var result = _declaration.AtEnd()(new TokenList<CnnToken>(chunk));
            if (result.HasValue && !holeInside)
            {
                declarations.Add(result.Value);
                continue;
            }

            if (!result.HasValue && FailureOffset(result) < holeAt) ReportSyntaxError(result, diagnostics);
            NoteBroken(chunk, broken);
            failed = true;
        }

        return new SourceFileSyntax(ns, declarations, new TextRange(_offset, _offset + _textLength))
        {
            Imports = imports,
            BrokenDeclarations = broken,
            HasParseErrors = failed,
        };
    }

    /// <summary>A hole that starts with a letter or an undecodable byte (`reé`, `conv\uFFFD`)
    /// belongs to the name beside it: even after the last token, the declaration is not whole.</summary>
    private static bool IsPartOfAWord(TextSpan hole) =>
        hole.Length > 0 && hole.Source is { } text && (char.IsLetterOrDigit(text[hole.Position.Absolute]) || text[hole.Position.Absolute] == '\uFFFD');

    /// <summary>The name of a declaration that did not parse, so that uses of it stay quiet
    /// instead of each reporting an unknown name.</summary>
    private void NoteBroken(Token<CnnToken>[] chunk, List<Identifier> broken)
    {
        if (chunk.Length >= 2 && chunk[0].Kind is CnnToken.Let or CnnToken.Block or CnnToken.Network or CnnToken.Model
            && chunk[1].Kind == CnnToken.Identifier)
        {
            broken.Add(new Identifier(chunk[1].ToStringValue(), RangeOf(chunk[1])));
        }
    }

    /// <summary>Where a parse failed: the offset of the token it could not take; a parse that
    /// ran out of tokens failed after everything, holes included.</summary>
    private long FailureOffset<T>(TokenListParserResult<CnnToken, T> result) =>
        result.Remainder.IsAtEnd ? int.MaxValue : result.Remainder.ConsumeToken().Value.Span.Position.Absolute;

    private void ReportSyntaxError<T>(TokenListParserResult<CnnToken, T> result, DiagnosticBag diagnostics, string? endOfInput = null)
    {
        TextRange range;
        if (result.Remainder.IsAtEnd)
        {
            var last = _tokens[_tokens.Length - 1].Span;
            var end = _offset + last.Position.Absolute + last.Length;
            range = new TextRange(end, end);
        }
        else
        {
            var token = result.Remainder.ConsumeToken().Value;
            range = RangeOf(token);
        }

        var message = result.FormatErrorMessageFragment();
        const string atEnd = "unexpected end of input";
        if (endOfInput is not null && result.Remainder.IsAtEnd && message.StartsWith(atEnd, StringComparison.Ordinal))
        {
            message = endOfInput + message.Substring(atEnd.Length);
        }

        diagnostics.Report(DiagnosticCodes.SyntaxError, range, message);
    }

    /// <summary>Declarations start with a keyword that can appear nowhere else, so the file can be
    /// cut into declarations before parsing; a syntax error then stays inside its declaration.</summary>
    private static IEnumerable<Token<CnnToken>[]> SplitAtDeclarations(Token<CnnToken>[] tokens)
    {
        var start = 0;
        for (var i = 1; i <= tokens.Length; i++)
        {
            if (i == tokens.Length || StartsDeclaration(tokens[i].Kind) && !IsLabel(tokens, i))
            {
                if (i > start)
                {
                    var chunk = new Token<CnnToken>[i - start];
                    Array.Copy(tokens, start, chunk, 0, chunk.Length);
                    yield return chunk;
                }
                start = i;
            }
        }
    }

    /// <summary>A keyword followed by a colon is a label (`block: ...`), not a declaration.</summary>
    private static bool IsLabel(Token<CnnToken>[] tokens, int at) =>
        at + 1 < tokens.Length && tokens[at + 1].Kind == CnnToken.Colon;

    private static bool StartsDeclaration(CnnToken kind) =>
        kind is CnnToken.Let or CnnToken.Block or CnnToken.Network or CnnToken.Model
            or CnnToken.Namespace or CnnToken.Import;

    /// <summary>Brackets nest the parser; operator chains, indexing chains and <c>else if</c>
    /// chains nest the syntax tree the evaluator walks. All of them count towards one limit, so a
    /// pathological file (10,000 brackets, a 20,000-term sum) is reported, never a stack overflow.</summary>
    private bool WithinNestingLimit(Token<CnnToken>[] chunk, DiagnosticBag diagnostics)
    {
        var depth = 0;
        var prefixRun = 0;
        // Per open bracket level: operator and index links of the expression being read, and
        // `else if` links of the chain being read. `chain` is their sum over the open levels.
        var operators = new List<int> { 0 };
        var elseIfs = new List<int> { 0 };
        var chain = 0;
        var previous = CnnToken.None;
        foreach (var token in chunk)
        {
            switch (token.Kind)
            {
                case CnnToken.LParen or CnnToken.LBracket or CnnToken.LBrace:
                    if (token.Kind == CnnToken.LBracket && previous is CnnToken.RBracket or CnnToken.RParen
                            or CnnToken.Identifier or CnnToken.Number or CnnToken.String)
                    {
                        operators[depth]++; // indexing: `list[0][1]` nests like an operator
                        chain++;
                    }
                    else if (token.Kind == CnnToken.LBrace)
                    {
                        chain -= operators[depth]; // a condition before its body is complete
                        operators[depth] = 0;
                    }

                    depth++;
                    operators.Add(0);
                    elseIfs.Add(0);
                    break;
                case CnnToken.RParen or CnnToken.RBracket or CnnToken.RBrace:
                    if (depth > 0)
                    {
                        chain -= operators[depth] + elseIfs[depth];
                        operators.RemoveAt(depth);
                        elseIfs.RemoveAt(depth);
                        depth--;
                    }

                    break;
                case CnnToken.Comma or CnnToken.Arrow or CnnToken.Colon or CnnToken.Equals:
                    chain -= operators[depth] + elseIfs[depth];
                    operators[depth] = 0;
                    elseIfs[depth] = 0;
                    break;
                case CnnToken.Plus or CnnToken.Minus or CnnToken.Star or CnnToken.Slash or CnnToken.Percent
                    or CnnToken.EqualEqual or CnnToken.NotEqual or CnnToken.Less or CnnToken.Greater
                    or CnnToken.LessEqual or CnnToken.GreaterEqual or CnnToken.And or CnnToken.Or:
                    operators[depth]++;
                    chain++;
                    break;
                case CnnToken.If when previous == CnnToken.Else:
                    elseIfs[depth]++;
                    chain++;
                    break;
            }

            prefixRun = token.Kind is CnnToken.Minus or CnnToken.Not or CnnToken.If or CnnToken.Else
                ? prefixRun + 1
                : 0;
            previous = token.Kind;
            if (depth + chain > MaxNestingDepth || prefixRun > MaxNestingDepth)
            {
                diagnostics.Report(DiagnosticCodes.NestingTooDeep, RangeOf(token),
                    $"nesting deeper than {MaxNestingDepth} levels (brackets, operators, indexing and `else if` each add one)",
                    "split the expression into named blocks or constants");
                return false;
            }
        }

        return true;
    }

    private TextRange RangeOf(Token<CnnToken> token) =>
        new(_offset + token.Span.Position.Absolute, _offset + token.Span.Position.Absolute + token.Span.Length);

    private TextRange RangeOf(TokenList<CnnToken> from, TokenList<CnnToken> to)
    {
        var start = from.IsAtEnd ? _offset + _textLength : _offset + _tokens[from.Position].Span.Position.Absolute;
        if (to.Position <= from.Position) return new TextRange(start, start);
        var last = _tokens[to.Position - 1].Span;
        return new TextRange(start, _offset + last.Position.Absolute + last.Length);
    }

    /// <summary>Runs a parser and hands its value and the text range it consumed to a constructor.</summary>
    private TokenListParser<CnnToken, TResult> Ranged<T, TResult>(
        TokenListParser<CnnToken, T> parser, Func<T, TextRange, TResult> make) =>
        input =>
        {
            var result = parser(input);
            if (!result.HasValue) return TokenListParserResult.CastEmpty<CnnToken, T, TResult>(result);
            return TokenListParserResult.Value(make(result.Value, RangeOf(input, result.Remainder)), input, result.Remainder);
        };

    private TokenListParser<CnnToken, string> NamespaceDeclaration =>
        from keyword in Token.EqualTo(CnnToken.Namespace)
        from parts in Token.EqualTo(CnnToken.Identifier).Select(t => t.ToStringValue())
            .AtLeastOnceDelimitedBy(Token.EqualTo(CnnToken.Dot))
        select string.Join(".", parts);

    /// <summary><c>import "path"</c>: the path is a plain string (no <c>{...}</c> parts).</summary>
    private TokenListParser<CnnToken, ImportDirective> ImportLine => Ranged(
        from keyword in Token.EqualTo(CnnToken.Import)
        from path in Token.EqualTo(CnnToken.String).Named("file name in double quotes, such as \"resnet.cnn\"")
        select path,
        (path, r) => new ImportDirective(path.ToStringValue().Trim('"'), RangeOf(path), r));

    /// <summary>Items separated by commas, a trailing comma allowed, then the closing token.</summary>
    private static TokenListParser<CnnToken, T[]> CommaSeparated<T>(TokenListParser<CnnToken, T> item, CnnToken close)
    {
        var comma = Token.EqualTo(CnnToken.Comma);
        var items =
            from first in item
            from rest in comma.IgnoreThen(item).Try().Many()
            from trailing in comma.Optional()
            select new[] { first }.Concat(rest).ToArray();
        return
            from list in items.OptionalOrDefault(Array.Empty<T>())
            from end in Token.EqualTo(close)
            select list;
    }

    private static TokenListParser<CnnToken, T?> Optional<T>(TokenListParser<CnnToken, T> parser)
        where T : class =>
        parser.Select(value => (T?)value).OptionalOrDefault();

    private TokenListParser<CnnToken, Expression> BinaryLevel(
        TokenListParser<CnnToken, Expression> operand, params CnnToken[] operators)
    {
        var op = operators.Select(Token.EqualTo).Aggregate((a, b) => a.Or(b));
        return Ranged(
            from first in operand
            from rest in (from o in op from right in operand select (o, right)).Many()
            select (first, rest),
            (v, r) => v.rest.Aggregate(v.first, (left, next) =>
                (Expression)new BinaryExpression(next.o.ToStringValue(), left, next.right,
                    TextRange.Cover(left.Range, next.right.Range))));
    }

    private Expression NumberLiteral(Token<CnnToken> token)
    {
        var text = token.ToStringValue();
        var range = RangeOf(token);
        if (text.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0)
        {
            var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return new DecimalLiteral(value, text, range);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
            ? new IntegerLiteral(integer, range)
            : new OversizedIntegerLiteral(text, range);
    }

    /// <summary>A dimension too large for 64 bits becomes -1, which the binder reports.</summary>
    private static IReadOnlyList<long> ShapeDimensions(string text) =>
        text.Split('x')
            .Select(part => long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : -1)
            .ToArray();
}
