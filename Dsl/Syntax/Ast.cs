using System.Collections.Generic;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Syntax;

// The syntax tree of a .cnn file. Every node knows the range of text it came from, so every
// later diagnostic can point at the source.

public abstract record SyntaxNode(TextRange Range);

public sealed record Identifier(string Name, TextRange Range) : SyntaxNode(Range);

// ---- Declarations --------------------------------------------------------------------------

public abstract record Declaration(Identifier Name, TextRange Range) : SyntaxNode(Range);

public sealed record Parameter(Identifier Name, Expression? Default, TextRange Range) : SyntaxNode(Range);

public sealed record InputShape(IReadOnlyList<long> Dimensions, TextRange Range) : SyntaxNode(Range);

/// <summary><c>let name = expression</c></summary>
public sealed record LetDeclaration(Identifier Name, Expression Value, TextRange Range)
    : Declaration(Name, Range);

/// <summary><c>block name(params) = layers</c>: a reusable, parameterised piece of network.</summary>
public sealed record BlockDeclaration(
    Identifier Name, IReadOnlyList<Parameter> Parameters, Expression Body, TextRange Range)
    : Declaration(Name, Range);

/// <summary><c>network name(params) input CxHxW = layers</c>: a block with a declared input.</summary>
public sealed record NetworkDeclaration(
    Identifier Name, IReadOnlyList<Parameter> Parameters, InputShape Input, Expression Body, TextRange Range)
    : Declaration(Name, Range);

/// <summary><c>model Name [input CxHxW] = layers</c>: a concrete model the generator emits.</summary>
public sealed record ModelDeclaration(Identifier Name, InputShape? Input, Expression Body, TextRange Range)
    : Declaration(Name, Range);

/// <summary><c>import "other.cnn"</c>: the other file's blocks, networks and constants become
/// names of this file. <see cref="PathRange"/> is where the quoted path is written.</summary>
public sealed record ImportDirective(string Path, TextRange PathRange, TextRange Range) : SyntaxNode(Range);

public sealed record SourceFileSyntax(
    string? Namespace, IReadOnlyList<Declaration> Declarations, TextRange Range) : SyntaxNode(Range)
{
    /// <summary>The file's <c>import</c> lines, in file order.</summary>
    public IReadOnlyList<ImportDirective> Imports { get; init; } = System.Array.Empty<ImportDirective>();

    /// <summary>The names of declarations that did not parse (already reported): uses of them
    /// are not reported again as unknown names.</summary>
    public IReadOnlyList<Identifier> BrokenDeclarations { get; init; } = System.Array.Empty<Identifier>();

    /// <summary>True when some part of the file did not parse (and was reported), so the
    /// declarations are not all there.</summary>
    public bool HasParseErrors { get; init; }
}

// ---- Expressions -------------------------------------------------------------------------

public abstract record Expression(TextRange Range) : SyntaxNode(Range);

public sealed record IntegerLiteral(long Value, TextRange Range) : Expression(Range);

public sealed record DecimalLiteral(double Value, string Text, TextRange Range) : Expression(Range);

public sealed record StringLiteral(string Value, TextRange Range) : Expression(Range);

public sealed record BooleanLiteral(bool Value, TextRange Range) : Expression(Range);

public sealed record NameExpression(Identifier Name) : Expression(Name.Range);

public sealed record ListExpression(IReadOnlyList<Expression> Items, TextRange Range) : Expression(Range);

public sealed record Argument(Identifier? Name, Expression Value, TextRange Range) : SyntaxNode(Range);

/// <summary>A layer, block or network applied to arguments: <c>conv(64, 3, pad: 1)</c>.</summary>
public sealed record CallExpression(Identifier Callee, IReadOnlyList<Argument> Arguments, TextRange Range)
    : Expression(Range);

/// <summary><c>a -> b -> c</c>: layers applied one after another.</summary>
public sealed record SequenceExpression(IReadOnlyList<Expression> Items, TextRange Range) : Expression(Range);

/// <summary><c>name: layers</c> or <c>"denselayer{i + 1}": layers</c>: gives a layer or group the
/// name its weights are saved under. <see cref="Label"/> is a <see cref="NameExpression"/> or a
/// <see cref="StringLiteral"/> whose <c>{...}</c> parts are filled in when evaluated.</summary>
public sealed record LabeledExpression(Expression Label, Expression Body, TextRange Range) : Expression(Range);

/// <summary>A keyword and a list of branches: <c>concat [a, b, c]</c>, parallel branches from one
/// input joined along channels; <c>split [a, b, c]</c>, branch i reading the i-th equal chunk of
/// the input's channels; <c>add [a, b]</c>, branches from one input added.</summary>
public sealed record ConcatExpression(IReadOnlyList<Expression> Branches, TextRange Range) : Expression(Range)
{
    /// <summary><c>concat</c>, <c>split</c> or <c>add</c>.</summary>
    public string Keyword { get; init; } = "concat";
}

/// <summary><c>layers if condition</c>: the layers are present only when the condition holds.</summary>
public sealed record GuardedExpression(Expression Body, Expression Condition, TextRange Range) : Expression(Range);

/// <summary><c>if c { a } else { b }</c></summary>
public sealed record IfExpression(Expression Condition, Expression Then, Expression? Else, TextRange Range)
    : Expression(Range);

/// <summary><c>for v in list { layers }</c>: the layers once per element, in order.</summary>
public sealed record ForExpression(Identifier Variable, Expression Source, Expression Body, TextRange Range)
    : Expression(Range);

/// <summary><c>repeat n { layers }</c></summary>
public sealed record RepeatExpression(Expression Count, Expression Body, TextRange Range) : Expression(Range);

public sealed record BinaryExpression(string Operator, Expression Left, Expression Right, TextRange Range)
    : Expression(Range);

public sealed record UnaryExpression(string Operator, Expression Operand, TextRange Range) : Expression(Range);

public sealed record IndexExpression(Expression Target, Expression Index, TextRange Range) : Expression(Range);

/// <summary><c>input.channels</c>, <c>input.height</c>, <c>input.width</c>: a size of the tensor the
/// enclosing block receives where it is used. <see cref="Member"/> is null for a bare <c>input</c>,
/// which the evaluator reports.</summary>
public sealed record InputExpression(Identifier? Member, TextRange Range) : Expression(Range);

/// <summary>An integer literal too large for 64 bits, kept so the binder can report it where it is.</summary>
public sealed record OversizedIntegerLiteral(string Text, TextRange Range) : Expression(Range);
