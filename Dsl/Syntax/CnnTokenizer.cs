using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CnnDsl.Dsl.Text;
using Superpower;
using Superpower.Model;

namespace CnnDsl.Dsl.Syntax;

/// <summary>A piece of text no token can be made of: where it is and why.</summary>
public readonly record struct LexicalError(TextRange Range, string Message, string Help);

/// <summary>Turns .cnn text into tokens. Permissive by design: it only rejects characters that
/// belong to no token; everything else is the parser's to judge. It never stops early: each
/// run of characters that starts no token is reported and becomes one <see cref="CnnToken.None"/>
/// token, so the parser knows where the hole is and the rest of the file is still read. One pass,
/// no backtracking: linear in the length of the text, whatever the text is.</summary>
public static class CnnTokenizer
{
    private static readonly Dictionary<string, CnnToken> Keywords = new(StringComparer.Ordinal)
    {
        ["let"] = CnnToken.Let, ["block"] = CnnToken.Block, ["network"] = CnnToken.Network,
        ["model"] = CnnToken.Model, ["input"] = CnnToken.Input, ["import"] = CnnToken.Import,
        ["namespace"] = CnnToken.Namespace, ["for"] = CnnToken.For, ["in"] = CnnToken.In,
        ["if"] = CnnToken.If, ["else"] = CnnToken.Else, ["repeat"] = CnnToken.Repeat, ["concat"] = CnnToken.Concat,
        ["residual"] = CnnToken.Residual, ["dense"] = CnnToken.Dense, ["aux"] = CnnToken.Aux, ["gate"] = CnnToken.Gate, ["split"] = CnnToken.Split, ["add"] = CnnToken.Add,
        ["and"] = CnnToken.And, ["or"] = CnnToken.Or, ["not"] = CnnToken.Not,
        ["true"] = CnnToken.True, ["false"] = CnnToken.False,
    };

    /// <summary>True for a token that is one of the language's keywords.</summary>
    public static bool IsKeyword(CnnToken kind) => KeywordKinds.Contains(kind);

    private static readonly HashSet<CnnToken> KeywordKinds = new(Keywords.Values);

    private const string GeneralHelp = "names are letters, digits and '_'; strings use double quotes; comments start with '#'";

    /// <summary>The tokens of a text, or the first place no token starts (Superpower's result).</summary>
    public static Result<TokenList<CnnToken>> TryTokenize(string text)
    {
        var tokens = Tokenize(text, out var errors, stopAtFirstError: true);
        if (errors.Count == 0) return Result.Value(new TokenList<CnnToken>(tokens), new TextSpan(text), TextSpan.Empty);
        var at = errors[0].Range.Start;
        return Result.Empty<TokenList<CnnToken>>(new TextSpan(text, PositionOf(text, at), text.Length - at));
    }

    /// <summary>All tokens of a text. Each run of characters that starts no token is one
    /// <see cref="CnnToken.None"/> token and one entry of <paramref name="errors"/>; a character
    /// for which <paramref name="quiet"/> is true is part of such a run but not reported (it
    /// was, by someone else: invalid UTF-8).</summary>
    public static Token<CnnToken>[] Tokenize(string text, out List<LexicalError> errors, Func<int, bool>? quiet = null) =>
        Tokenize(text, out errors, stopAtFirstError: false, quiet);

    private static Token<CnnToken>[] Tokenize(string text, out List<LexicalError> errors, bool stopAtFirstError, Func<int, bool>? quiet = null)
    {
        errors = new List<LexicalError>();
        var tokens = new List<Token<CnnToken>>();
        var scanner = new Scanner(text);
        while (true)
        {
            scanner.SkipTrivia();
            if (scanner.AtEnd) break;
            var start = scanner.Mark();
            var (kind, error) = scanner.Next();
            var length = scanner.Offset - start.Absolute;
            if (error is not null)
            {
                if (quiet is null || !AllQuiet(quiet, start.Absolute, scanner.Offset))
                {
                    errors.Add(new LexicalError(new TextRange(start.Absolute, scanner.Offset), error.Value.Message, error.Value.Help));
                    if (stopAtFirstError) break;
                }

                kind = CnnToken.None;
            }

            tokens.Add(new Token<CnnToken>(kind, new TextSpan(text, start, length)));
        }

        return tokens.ToArray();
    }

    private static bool AllQuiet(Func<int, bool> quiet, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!quiet(i)) return false;
        }

        return true;
    }

    private static Position PositionOf(string text, int offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; column = 1; }
            else column++;
        }

        return new Position(offset, line, column);
    }

    internal static bool IsWordChar(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
    private static bool IsNameStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';

    /// <summary>A letter or digit outside ASCII (é, ß, 中, ٣): never in a token, but part of the word
    /// it is written in. U+FFFD (an undecodable byte) is not one: it is reported on its own.</summary>
    private static bool IsForeignLetter(char c) => c > 127 && char.IsLetterOrDigit(c);
    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary>Can a token (or whitespace, or a comment) start with this character?</summary>
    private static bool StartsSomething(char c) =>
        char.IsWhiteSpace(c) || IsWordChar(c) || "#\"()[]{},:.-=!<>+*/%".IndexOf(c) >= 0;

    /// <summary>A character as it can be shown in a message: control characters and lone
    /// surrogates as \uXXXX.</summary>
    public static string Printable(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' || c == '\u200B' || c == '\uFEFF'
            ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : c.ToString();

    private static string Printable(string text, int start, int end)
    {
        var shown = new StringBuilder();
        for (var i = start; i < end && i < start + 12; i++) shown.Append(Printable(text[i]));
        if (end - start > 12) shown.Append("...");
        return shown.ToString();
    }

    private struct Scanner
    {
        private readonly string _text;
        private int _offset;
        private int _line;
        private int _column;

        public Scanner(string text)
        {
            _text = text;
            _offset = 0;
            _line = 1;
            _column = 1;
        }

        public readonly int Offset => _offset;
        public readonly bool AtEnd => _offset >= _text.Length;
        public readonly Position Mark() => new(_offset, _line, _column);

        private readonly char Peek(int ahead = 0) => _offset + ahead < _text.Length ? _text[_offset + ahead] : '\0';
        private readonly bool Has(int ahead) => _offset + ahead < _text.Length;

        private void Advance(int count = 1)
        {
            for (var i = 0; i < count && _offset < _text.Length; i++)
            {
                if (_text[_offset] == '\n') { _line++; _column = 1; }
                else _column++;
                _offset++;
            }
        }

        public void SkipTrivia()
        {
            while (!AtEnd)
            {
                var c = Peek();
                if (char.IsWhiteSpace(c)) Advance();
                else if (c == '#') { while (!AtEnd && Peek() != '\n') Advance(); }
                else break;
            }
        }

        /// <summary>Reads one token. On a problem, consumes the text it concerns and says why.</summary>
        public (CnnToken Kind, (string Message, string Help)? Error) Next()
        {
            var start = _offset;
            var c = Peek();
            if (IsNameStart(c) || IsForeignLetter(c))
            {
                while (!AtEnd && IsWordChar(Peek())) Advance();
                if (!AtEnd && IsForeignLetter(Peek()) || IsForeignLetter(c))
                {
                    // `réseau`, `inceptioé4d`: one word, one report, not a name and a stray letter.
                    while (!AtEnd && (IsWordChar(Peek()) || IsForeignLetter(Peek()))) Advance();
                    var bad = Printable(_text, start, _offset);
                    return (CnnToken.None, ($"`{bad}` is not a name: names are made of the letters A to Z, digits and '_'",
                        "use ASCII letters in names; any letter may go in comments and strings"));
                }

                var word = _text.Substring(start, _offset - start);
                return (Keywords.TryGetValue(word, out var keyword) ? keyword : CnnToken.Identifier, null);
            }

            if (IsDigit(c)) return Number(start);
            if (c == '"') return String(start);

            switch (c)
            {
                case '-' when Peek(1) == '>': Advance(2); return (CnnToken.Arrow, null);
                case '=' when Peek(1) == '=': Advance(2); return (CnnToken.EqualEqual, null);
                case '!' when Peek(1) == '=': Advance(2); return (CnnToken.NotEqual, null);
                case '<' when Peek(1) == '=': Advance(2); return (CnnToken.LessEqual, null);
                case '>' when Peek(1) == '=': Advance(2); return (CnnToken.GreaterEqual, null);
                case '!':
                    Advance();
                    return (CnnToken.None, ("`!` is not an operator on its own", "write `!=` for \"not equal\", or `not` to negate a condition"));
            }

            var single = c switch
            {
                '<' => CnnToken.Less,
                '>' => CnnToken.Greater,
                '=' => CnnToken.Equals,
                '(' => CnnToken.LParen,
                ')' => CnnToken.RParen,
                '[' => CnnToken.LBracket,
                ']' => CnnToken.RBracket,
                '{' => CnnToken.LBrace,
                '}' => CnnToken.RBrace,
                ',' => CnnToken.Comma,
                ':' => CnnToken.Colon,
                '.' => CnnToken.Dot,
                '+' => CnnToken.Plus,
                '-' => CnnToken.Minus,
                '*' => CnnToken.Star,
                '/' => CnnToken.Slash,
                '%' => CnnToken.Percent,
                _ => CnnToken.None,
            };
            if (single != CnnToken.None)
            {
                Advance();
                return (single, null);
            }

            if (c == '\'')
            {
                // 'M': a string in single quotes, one mistake, not two stray quotes.
                var close = start + 1;
                while (close < _text.Length && _text[close] != '\'' && _text[close] != '\n' && _text[close] != '"') close++;
                if (close < _text.Length && _text[close] == '\'' && close - start <= 80)
                {
                    Advance(close + 1 - start);
                    var inside = _text.Substring(start + 1, close - start - 1);
                    return (CnnToken.None, ($"strings use double quotes, not single ones: '{Printable(inside, 0, inside.Length)}'",
                        $"write \"{Printable(inside, 0, inside.Length)}\""));
                }
            }

            // A run of characters that start nothing: one report for the whole run.
            while (!AtEnd && !StartsSomething(Peek())) Advance();
            var run = _offset - start;
            var shown = Printable(_text, start, _offset);
            return (CnnToken.None, run == 1
                ? ($"unexpected character `{shown}`: no token starts with it", GeneralHelp)
                : ($"unexpected characters `{shown}`: no token starts with them", GeneralHelp));
        }

        /// <summary>64, 0.5, 1e-4, or an input shape 3x224x224; it must not run into a name.</summary>
        private (CnnToken, (string, string)?) Number(int start)
        {
            while (IsDigit(Peek()) && !AtEnd) Advance();
            var kind = CnnToken.Number;
            while (Peek() == 'x' && Has(1) && IsDigit(Peek(1)))
            {
                kind = CnnToken.Shape;
                Advance();
                while (!AtEnd && IsDigit(Peek())) Advance();
            }

            if (kind == CnnToken.Number)
            {
                if (Peek() == '.' && Has(1) && IsDigit(Peek(1)))
                {
                    Advance();
                    while (!AtEnd && IsDigit(Peek())) Advance();
                }

                var exponent = Peek() is 'e' or 'E' ? (Peek(1) is '+' or '-' ? 2 : 1) : 0;
                if (exponent > 0 && Has(exponent) && IsDigit(Peek(exponent)))
                {
                    Advance(exponent);
                    while (!AtEnd && IsDigit(Peek())) Advance();
                }
            }

            if (AtEnd || !IsWordChar(Peek())) return (kind, null);
            while (!AtEnd && IsWordChar(Peek())) Advance();
            var word = Printable(_text, start, _offset);
            return (CnnToken.None, ($"`{word}` is neither a number nor a name",
                "names start with a letter or '_'; numbers are written 64, 0.5 or 1e-4, input shapes 3x224x224"));
        }

        /// <summary>A string lies on one line between double quotes.</summary>
        private (CnnToken, (string, string)?) String(int start)
        {
            Advance();
            while (!AtEnd && Peek() != '"' && Peek() != '\n' && Peek() != '\r') Advance();
            if (Peek() == '"' && !AtEnd)
            {
                Advance();
                return (CnnToken.String, null);
            }

            return (CnnToken.None, ("this string is not closed", "a string ends with a double quote on the line it starts on"));
        }
    }
}
