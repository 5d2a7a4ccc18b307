using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using Superpower.Tokenizers;

namespace CnnDsl.Dsl.Syntax;

/// <summary>Turns .cnn text into tokens. Permissive by design: it only rejects characters that
/// belong to no token; everything else is the parser's to judge.</summary>
public static class CnnTokenizer
{
    private static readonly Tokenizer<CnnToken> Instance = Build();

    public static Result<TokenList<CnnToken>> TryTokenize(string text) => Instance.TryTokenize(text);

    private static Tokenizer<CnnToken> Build()
    {
        var keywords = new (string Text, CnnToken Token)[]
        {
            ("let", CnnToken.Let), ("block", CnnToken.Block), ("network", CnnToken.Network),
            ("model", CnnToken.Model), ("input", CnnToken.Input), ("import", CnnToken.Import),
            ("namespace", CnnToken.Namespace), ("for", CnnToken.For), ("in", CnnToken.In),
            ("if", CnnToken.If), ("else", CnnToken.Else), ("repeat", CnnToken.Repeat), ("concat", CnnToken.Concat),
            ("residual", CnnToken.Residual), ("dense", CnnToken.Dense), ("aux", CnnToken.Aux),
            ("and", CnnToken.And), ("or", CnnToken.Or), ("not", CnnToken.Not),
            ("true", CnnToken.True), ("false", CnnToken.False),
        };

        var builder = new TokenizerBuilder<CnnToken>()
            .Ignore(Span.WhiteSpace)
            .Ignore(Comment.ShellStyle)
            .Match(Span.Regex("[0-9]+(x[0-9]+)+"), CnnToken.Shape, requireDelimiters: true)
            .Match(Span.Regex("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?"), CnnToken.Number, requireDelimiters: true)
            .Match(Span.Regex("\"[^\"\\r\\n]*\""), CnnToken.String)
            .Match(Span.EqualTo("->"), CnnToken.Arrow)
            .Match(Span.EqualTo("=="), CnnToken.EqualEqual)
            .Match(Span.EqualTo("!="), CnnToken.NotEqual)
            .Match(Span.EqualTo("<="), CnnToken.LessEqual)
            .Match(Span.EqualTo(">="), CnnToken.GreaterEqual)
            .Match(Character.EqualTo('<'), CnnToken.Less)
            .Match(Character.EqualTo('>'), CnnToken.Greater)
            .Match(Character.EqualTo('='), CnnToken.Equals)
            .Match(Character.EqualTo('('), CnnToken.LParen)
            .Match(Character.EqualTo(')'), CnnToken.RParen)
            .Match(Character.EqualTo('['), CnnToken.LBracket)
            .Match(Character.EqualTo(']'), CnnToken.RBracket)
            .Match(Character.EqualTo('{'), CnnToken.LBrace)
            .Match(Character.EqualTo('}'), CnnToken.RBrace)
            .Match(Character.EqualTo(','), CnnToken.Comma)
            .Match(Character.EqualTo(':'), CnnToken.Colon)
            .Match(Character.EqualTo('.'), CnnToken.Dot)
            .Match(Character.EqualTo('+'), CnnToken.Plus)
            .Match(Character.EqualTo('-'), CnnToken.Minus)
            .Match(Character.EqualTo('*'), CnnToken.Star)
            .Match(Character.EqualTo('/'), CnnToken.Slash)
            .Match(Character.EqualTo('%'), CnnToken.Percent);

        foreach (var (text, token) in keywords)
        {
            builder = builder.Match(Span.EqualTo(text), token, requireDelimiters: true);
        }

        return builder
            .Match(Span.Regex("[A-Za-z_][A-Za-z0-9_]*"), CnnToken.Identifier, requireDelimiters: true)
            .Build();
    }
}
