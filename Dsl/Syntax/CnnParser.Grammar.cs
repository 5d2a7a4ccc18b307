using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Text;
using Superpower;
using Superpower.Parsers;

namespace CnnDsl.Dsl.Syntax;

// The grammar, built once per parser from the bottom up: names and literals, bracketed forms,
// loops and conditions, structures, calls; then operators, labels and sequences; then
// declarations. A sequence and a condition contain themselves (inside brackets, after `if`), so
// they are referred to before they are built.
public sealed partial class CnnParser
{
    private TokenListParser<CnnToken, Declaration> BuildGrammar()
    {
        TokenListParser<CnnToken, Expression>? sequenceRef = null;
        var sequence = Superpower.Parse.Ref(() => sequenceRef!);
        TokenListParser<CnnToken, Expression>? conditionRef = null;
        var condition = Superpower.Parse.Ref(() => conditionRef!);

        var identifier = Token.EqualTo(CnnToken.Identifier)
            .Select(t => new Identifier(t.ToStringValue(), RangeOf(t)))
            .Named("name");
        var primary = Literal(identifier)
            .Or(Bracketed(sequence))
            .Or(LoopOrCondition(identifier, sequence, condition))
            .Or(Structure(identifier, sequence))
            .Or(CallOrName(identifier, sequence))
            .Named("layer or value");
        conditionRef = Operators(primary, sequence);
        sequenceRef = Sequence(identifier, condition);
        _expression = sequence;
        return Declarations(identifier, sequence);
    }

    /// <summary>Numbers, <c>input.channels</c>, strings, <c>true</c> and <c>false</c>.</summary>
    private TokenListParser<CnnToken, Expression> Literal(TokenListParser<CnnToken, Identifier> identifier)
    {
        var number = Token.EqualTo(CnnToken.Number).Select(NumberLiteral).Named("number");
        // `input.channels` (the keyword, a dot, a name) inside a block's body.
        var inputSize = Ranged(
            from keyword in Token.EqualTo(CnnToken.Input)
            from member in Optional(Token.EqualTo(CnnToken.Dot).IgnoreThen(identifier))
            select member,
            (member, r) => (Expression)new InputExpression(member, r));
        var text = Token.EqualTo(CnnToken.String)
            .Select(t => (Expression)new StringLiteral(t.ToStringValue().Trim('"'), RangeOf(t)));
        var boolean = Token.EqualTo(CnnToken.True).Select(t => (Expression)new BooleanLiteral(true, RangeOf(t)))
            .Or(Token.EqualTo(CnnToken.False).Select(t => (Expression)new BooleanLiteral(false, RangeOf(t))));
        return number.Or(inputSize).Or(text).Or(boolean);
    }

    /// <summary><c>[a, b]</c> and <c>(a -> b)</c>.</summary>
    private TokenListParser<CnnToken, Expression> Bracketed(TokenListParser<CnnToken, Expression> sequence)
    {
        var list = Ranged(
            from open in Token.EqualTo(CnnToken.LBracket)
            from items in CommaSeparated(sequence, CnnToken.RBracket)
            select items,
            (items, r) => (Expression)new ListExpression(items, r)).Named("list");

        var parenthesised =
            from open in Token.EqualTo(CnnToken.LParen)
            from inner in sequence
            from close in Token.EqualTo(CnnToken.RParen)
            select inner;
        return list.Or(parenthesised);
    }

    /// <summary><c>for v in list { ... }</c>, <c>repeat n { ... }</c> and <c>if c { ... } else { ... }</c>.</summary>
    private TokenListParser<CnnToken, Expression> LoopOrCondition(
        TokenListParser<CnnToken, Identifier> identifier, TokenListParser<CnnToken, Expression> sequence,
        TokenListParser<CnnToken, Expression> condition)
    {
        var braced =
            from open in Token.EqualTo(CnnToken.LBrace)
            from inner in sequence
            from close in Token.EqualTo(CnnToken.RBrace)
            select inner;

        var forLoop = Ranged(
            from keyword in Token.EqualTo(CnnToken.For)
            from variable in identifier
            from inKeyword in Token.EqualTo(CnnToken.In)
            from source in condition
            from body in braced
            select (variable, source, body),
            (v, r) => (Expression)new ForExpression(v.variable, v.source, v.body, r));

        var repeat = Ranged(
            from keyword in Token.EqualTo(CnnToken.Repeat)
            from count in condition
            from body in braced
            select (count, body),
            (v, r) => (Expression)new RepeatExpression(v.count, v.body, r));

        TokenListParser<CnnToken, Expression>? ifRef = null;
        var ifChain = Superpower.Parse.Ref(() => ifRef!);
        ifRef = Ranged(
            from keyword in Token.EqualTo(CnnToken.If)
            from test in condition
            from then in braced
            from otherwise in Optional(Token.EqualTo(CnnToken.Else).IgnoreThen(ifChain.Or(braced)))
            select (test, then, otherwise),
            (v, r) => (Expression)new IfExpression(v.test, v.then, v.otherwise, r));
        return forLoop.Or(repeat).Or(ifChain);
    }

    /// <summary><c>concat [a, b]</c>, <c>split [a, b]</c>, <c>add [a, b]</c>, and <c>residual(...)</c>,
    /// <c>dense(...)</c>, <c>gate(...)</c>, <c>aux(...)</c>.</summary>
    private TokenListParser<CnnToken, Expression> Structure(
        TokenListParser<CnnToken, Identifier> identifier, TokenListParser<CnnToken, Expression> sequence)
    {
        var concat = Ranged(
            from keyword in Token.EqualTo(CnnToken.Concat).Or(Token.EqualTo(CnnToken.Split)).Or(Token.EqualTo(CnnToken.Add))
            from open in Token.EqualTo(CnnToken.LBracket)
            from branches in CommaSeparated(sequence, CnnToken.RBracket)
            select (keyword, branches),
            (v, r) => (Expression)new ConcatExpression(v.branches, r) { Keyword = v.keyword.ToStringValue() })
            .Named("concat [branches]");

        // residual/dense/gate/aux take layers as their first argument, which may start with a label
        // (`residual(conv1: conv(...) -> ...)`), so it cannot be read as a named argument.
        var namedArgument = Ranged(
            from name in NamedPrefix(identifier)
            from value in sequence
            select (name, value),
            (v, r) => new Argument(v.name, v.value, r));
        var structure = Ranged(
            from keyword in Token.EqualTo(CnnToken.Residual).Or(Token.EqualTo(CnnToken.Dense)).Or(Token.EqualTo(CnnToken.Gate))
                .Or(Token.EqualTo(CnnToken.Aux))
            from open in Token.EqualTo(CnnToken.LParen)
            from body in Ranged(sequence, (value, r) => new Argument(null, value, r))
            from rest in Token.EqualTo(CnnToken.Comma).IgnoreThen(namedArgument).Try().Many()
            from trailing in Token.EqualTo(CnnToken.Comma).Optional()
            from close in Token.EqualTo(CnnToken.RParen)
            select (keyword, arguments: new[] { body }.Concat(rest).ToArray()),
            (v, r) => (Expression)new CallExpression(new Identifier(v.keyword.ToStringValue(), RangeOf(v.keyword)), v.arguments, r));
        return concat.Or(structure);
    }

    /// <summary>A name, or a call of it with arguments: <c>conv(64, 3, pad: 1)</c>.</summary>
    private TokenListParser<CnnToken, Expression> CallOrName(
        TokenListParser<CnnToken, Identifier> identifier, TokenListParser<CnnToken, Expression> sequence)
    {
        var argument = Ranged(
            from name in Optional(NamedPrefix(identifier))
            from value in sequence
            select (name, value),
            (v, r) => new Argument(v.name, v.value, r));

        var arguments =
            from open in Token.EqualTo(CnnToken.LParen)
            from items in CommaSeparated(argument, CnnToken.RParen)
            select items;

        return Ranged(
            from name in identifier
            from args in arguments.OptionalOrDefault()
            select (name, args),
            (v, r) => v.args is null
                ? (Expression)new NameExpression(v.name)
                : new CallExpression(v.name, v.args, r));
    }

    /// <summary><c>name:</c> before an argument.</summary>
    private static TokenListParser<CnnToken, Identifier> NamedPrefix(TokenListParser<CnnToken, Identifier> identifier) =>
        (from name in identifier
         from colon in Token.EqualTo(CnnToken.Colon)
         select name).Try();

    /// <summary>Indexing, then the operators from the tightest binding to the loosest: <c>-</c>,
    /// <c>* / %</c>, <c>+ -</c>, comparisons, <c>not</c>, <c>and</c>, <c>or</c>.</summary>
    private TokenListParser<CnnToken, Expression> Operators(
        TokenListParser<CnnToken, Expression> primary, TokenListParser<CnnToken, Expression> sequence)
    {
        var postfix = Ranged(
            from target in primary
            from indices in (from open in Token.EqualTo(CnnToken.LBracket)
                             from index in sequence
                             from close in Token.EqualTo(CnnToken.RBracket)
                             select (index, close)).Many()
            select (target, indices),
            (v, r) => v.indices.Aggregate(v.target, (acc, ix) =>
                (Expression)new IndexExpression(acc, ix.index, new TextRange(r.Start, RangeOf(ix.close).End))));

        TokenListParser<CnnToken, Expression>? unaryRef = null;
        var unary = Superpower.Parse.Ref(() => unaryRef!);
        unaryRef = Ranged(
                from minus in Token.EqualTo(CnnToken.Minus)
                from operand in unary
                select operand,
                (operand, r) => (Expression)new UnaryExpression("-", operand, r))
            .Or(postfix);

        var multiplicative = BinaryLevel(unary, CnnToken.Star, CnnToken.Slash, CnnToken.Percent);
        var additive = BinaryLevel(multiplicative, CnnToken.Plus, CnnToken.Minus);
        var comparison = Ranged(
            from left in additive
            from rest in (from op in Token.EqualTo(CnnToken.EqualEqual).Or(Token.EqualTo(CnnToken.NotEqual))
                              .Or(Token.EqualTo(CnnToken.LessEqual)).Or(Token.EqualTo(CnnToken.GreaterEqual))
                              .Or(Token.EqualTo(CnnToken.Less)).Or(Token.EqualTo(CnnToken.Greater))
                          from right in additive
                          select (op: op.ToStringValue(), right)).OptionalOrDefault()
            select (left, rest),
            (v, r) => v.rest.right is null ? v.left : new BinaryExpression(v.rest.op, v.left, v.rest.right, r));

        TokenListParser<CnnToken, Expression>? notRef = null;
        var negation = Superpower.Parse.Ref(() => notRef!);
        notRef = Ranged(
                from keyword in Token.EqualTo(CnnToken.Not)
                from operand in negation
                select operand,
                (operand, r) => (Expression)new UnaryExpression("not", operand, r))
            .Or(comparison);

        var conjunction = BinaryLevel(negation, CnnToken.And);
        return BinaryLevel(conjunction, CnnToken.Or);
    }

    /// <summary><c>a -> b -> c</c>, each item perhaps labeled (<c>conv1: ...</c>) and guarded
    /// (<c>... if bn</c>).</summary>
    private TokenListParser<CnnToken, Expression> Sequence(
        TokenListParser<CnnToken, Identifier> identifier, TokenListParser<CnnToken, Expression> condition)
    {
        var guarded = Ranged(
            from body in condition
            from guard in Optional(Token.EqualTo(CnnToken.If).IgnoreThen(condition))
            select (body, guard),
            (v, r) => v.guard is null ? v.body : new GuardedExpression(v.body, v.guard, r));

        // A keyword before a colon is a label, never the keyword: `block: ...` is torchvision's
        // own attribute name (ConvNeXt, EfficientNet), and nothing else puts a colon there.
        var keywordLabel = Token.Matching<CnnToken>(CnnTokenizer.IsKeyword, "keyword")
            .Select(t => new Identifier(t.ToStringValue(), RangeOf(t)));
        var labelPrefix = (from label in identifier.Or(keywordLabel).Select(n => (Expression)new NameExpression(n))
                               .Or(Token.EqualTo(CnnToken.String).Select(t => (Expression)new StringLiteral(t.ToStringValue().Trim('"'), RangeOf(t))))
                           from colon in Token.EqualTo(CnnToken.Colon)
                           select label).Try();

        var labeled = Ranged(
            from label in Optional(labelPrefix)
            from body in guarded
            select (label, body),
            (v, r) => v.label is null ? v.body : new LabeledExpression(v.label, v.body, r));

        return Ranged(
            labeled.AtLeastOnceDelimitedBy(Token.EqualTo(CnnToken.Arrow)),
            (items, r) => items.Length == 1 ? items[0] : new SequenceExpression(items, r));
    }

    /// <summary><c>let</c>, <c>block</c>, <c>network</c> and <c>model</c>.</summary>
    private TokenListParser<CnnToken, Declaration> Declarations(
        TokenListParser<CnnToken, Identifier> identifier, TokenListParser<CnnToken, Expression> sequence)
    {
        var shape = Token.EqualTo(CnnToken.Shape)
            .Select(t => new InputShape(ShapeDimensions(t.ToStringValue()), RangeOf(t)))
            .Named("input shape such as 3x224x224");

        var parameter = Ranged(
            from name in identifier
            from value in Optional(Token.EqualTo(CnnToken.Equals).IgnoreThen(sequence))
            select (name, value),
            (v, r) => new Parameter(v.name, v.value, r));

        var parameters =
            (from open in Token.EqualTo(CnnToken.LParen)
             from items in CommaSeparated(parameter, CnnToken.RParen)
             select (IReadOnlyList<Parameter>)items)
            .OptionalOrDefault(Array.Empty<Parameter>());

        var equalsSign = Token.EqualTo(CnnToken.Equals);
        var input = Token.EqualTo(CnnToken.Input).IgnoreThen(shape);

        var let = Ranged(
            from keyword in Token.EqualTo(CnnToken.Let)
            from name in identifier
            from eq in equalsSign
            from value in sequence
            select (name, value),
            (v, r) => (Declaration)new LetDeclaration(v.name, v.value, r));

        var block = Ranged(
            from keyword in Token.EqualTo(CnnToken.Block)
            from name in identifier
            from ps in parameters
            from eq in equalsSign
            from body in sequence
            select (name, ps, body),
            (v, r) => (Declaration)new BlockDeclaration(v.name, v.ps, v.body, r));

        var network = Ranged(
            from keyword in Token.EqualTo(CnnToken.Network)
            from name in identifier
            from ps in parameters
            from shapeClause in input
            from eq in equalsSign
            from body in sequence
            select (name, ps, shapeClause, body),
            (v, r) => (Declaration)new NetworkDeclaration(v.name, v.ps, v.shapeClause, v.body, r));

        var model = Ranged(
            from keyword in Token.EqualTo(CnnToken.Model)
            from name in identifier
            from shapeClause in Optional(input)
            from eq in equalsSign
            from body in sequence
            select (name, shapeClause, body),
            (v, r) => (Declaration)new ModelDeclaration(v.name, v.shapeClause, v.body, r));

        return let.Or(block).Or(network).Or(model).Named("declaration (let, block, network or model)");
    }
}
