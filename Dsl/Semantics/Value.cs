using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Dsl.Semantics;

/// <summary>What an expression evaluates to: a number, flag, string, list, or a run of layers.</summary>
public abstract record Value
{
    public abstract string TypeName { get; }
    public abstract string Display();
}

public sealed record IntValue(long Value) : Value
{
    public override string TypeName => "integer";
    public override string Display() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record FloatValue(double Value) : Value
{
    public override string TypeName => "decimal";
    public override string Display() => Value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed record BoolValue(bool Value) : Value
{
    public override string TypeName => "boolean";
    public override string Display() => Value ? "true" : "false";
}

public sealed record StringValue(string Value) : Value
{
    public override string TypeName => "string";
    public override string Display() => "\"" + Value + "\"";
}

public sealed record ListValue(IReadOnlyList<Value> Items) : Value
{
    public override string TypeName => "list";
    public override string Display() => "[" + string.Join(", ", Items.Select(i => i.Display())) + "]";

    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items);
    public override int GetHashCode() => Items.Count;
}

/// <summary>Layers in the order they apply; <c>a -> b</c> concatenates two of these.</summary>
public sealed record LayersValue(IReadOnlyList<NetworkNode> Nodes) : Value
{
    public static LayersValue Empty { get; } = new(System.Array.Empty<NetworkNode>());
    public override string TypeName => "layers";
    public override string Display() => Nodes.Count == 1 ? Nodes[0].Describe() : $"{Nodes.Count} layers";
}
