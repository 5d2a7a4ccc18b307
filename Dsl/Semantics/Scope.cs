using System.Collections.Generic;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Local variables (block parameters, loop variables), innermost first.</summary>
public sealed class Scope
{
    private readonly Dictionary<string, Value> _values = new();
    private readonly Scope? _parent;

    public Scope(Scope? parent = null) => _parent = parent;

    public static Scope Empty { get; } = new();

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
