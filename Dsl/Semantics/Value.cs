using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Dsl.Semantics;

/// <summary>What an expression evaluates to: a number, flag, string, list, or a run of layers.</summary>
public abstract record Value
{
    /// <summary>Longest text <see cref="Display"/> gives: a message names a value, it does not
    /// print a list of 100,000 elements.</summary>
    public const int MaxDisplayLength = 120;

    public abstract string TypeName { get; }

    /// <summary>The value as the language writes it, shortened with "..." past
    /// <see cref="MaxDisplayLength"/> characters.</summary>
    public string Display()
    {
        var text = new System.Text.StringBuilder();
        Write(text, MaxDisplayLength);
        return text.Length > MaxDisplayLength ? text.ToString(0, MaxDisplayLength) + "..." : text.ToString();
    }

    /// <summary>Appends the value, stopping soon after <paramref name="limit"/> characters.</summary>
    internal abstract void Write(System.Text.StringBuilder text, int limit);
}

public sealed record IntValue(long Value) : Value
{
    public override string TypeName => "integer";
    internal override void Write(System.Text.StringBuilder text, int limit) => text.Append(Value.ToString(CultureInfo.InvariantCulture));
}

public sealed record FloatValue(double Value) : Value
{
    public override string TypeName => "decimal";
    internal override void Write(System.Text.StringBuilder text, int limit) => text.Append(Value.ToString("R", CultureInfo.InvariantCulture));
}

public sealed record BoolValue(bool Value) : Value
{
    public override string TypeName => "boolean";
    internal override void Write(System.Text.StringBuilder text, int limit) => text.Append(Value ? "true" : "false");
}

public sealed record StringValue(string Value) : Value
{
    public override string TypeName => "string";
    internal override void Write(System.Text.StringBuilder text, int limit) =>
        text.Append('"').Append(Value, 0, System.Math.Min(Value.Length, limit + 1)).Append('"');
}

public sealed record ListValue(IReadOnlyList<Value> Items) : Value
{
    public override string TypeName => "list";
    internal override void Write(System.Text.StringBuilder text, int limit)
    {
        text.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (text.Length > limit) return; // Display cuts it and adds "..."
            if (i > 0) text.Append(", ");
            Items[i].Write(text, limit);
        }

        text.Append(']');
    }

    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items);
    public override int GetHashCode() => Items.Count;
}

/// <summary>Layers in the order they apply; <c>a -> b</c> concatenates two of these.</summary>
public sealed record LayersValue(IReadOnlyList<NetworkNode> Nodes) : Value
{
    public static LayersValue Empty { get; } = new(System.Array.Empty<NetworkNode>());
    public override string TypeName => "layers";
    internal override void Write(System.Text.StringBuilder text, int limit) =>
        text.Append(Nodes.Count == 1 ? Nodes[0].Describe() : $"{Nodes.Count} layers");
}
