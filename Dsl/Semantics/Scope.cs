using System.Collections.Generic;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>What <c>input</c> means inside the body of a block that reads it: the shape the
/// block receives where it is used, and that place (for diagnostics).</summary>
public sealed record BlockInput(Shape Shape, string BlockName, TextRange UsedAt);

/// <summary>Local variables (block parameters, loop variables), innermost first, and the input of
/// the block whose body they belong to, if that block reads it.</summary>
public sealed class Scope
{
    private readonly Dictionary<string, Value> _values = new();
    private readonly Scope? _parent;
    private readonly BlockInput? _input;

    public Scope(Scope? parent = null, BlockInput? input = null)
    {
        _parent = parent;
        _input = input;
    }

    public static Scope Empty { get; } = new();

    /// <summary>The input of the enclosing block, or null outside a block that reads it.</summary>
    public BlockInput? Input
    {
        get
        {
            for (var scope = this; scope is not null; scope = scope._parent)
            {
                if (scope._input is not null) return scope._input;
            }

            return null;
        }
    }

    public Scope With(string name, Value value)
    {
        var child = new Scope(this);
        child._values[name] = value;
        return child;
    }

    public void Define(string name, Value value) => _values[name] = value;

    public bool TryLookup(string name, out Value value)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._values.TryGetValue(name, out value!)) return true;
        }

        value = null!;
        return false;
    }

    public IEnumerable<string> Names()
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            foreach (var name in scope._values.Keys) yield return name;
        }
    }
}
