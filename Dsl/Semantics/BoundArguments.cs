using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>The arguments of one builtin layer call, matched to parameter names, with typed
/// readers that report a located diagnostic (and remember the failure) instead of throwing.</summary>
public sealed class BoundArguments
{
    private readonly Dictionary<string, (Value Value, TextRange Range)> _values;
    private readonly DiagnosticBag _diagnostics;

    public BoundArguments(string callee, Dictionary<string, (Value, TextRange)> values, TextRange callRange, DiagnosticBag diagnostics)
    {
        Callee = callee;
        _values = values;
        CallRange = callRange;
        _diagnostics = diagnostics;
    }

    public string Callee { get; }
    public TextRange CallRange { get; }
    public bool Failed { get; private set; }

    public bool Has(string name) => _values.ContainsKey(name);

    public Value? Value(string name) => _values.TryGetValue(name, out var arg) ? arg.Value : null;

    public long Int(string name, long fallback, long minimum)
    {
        if (!_values.TryGetValue(name, out var arg)) return fallback;
        if (arg.Value is IntValue i)
        {
            if (i.Value >= minimum) return i.Value;
            Fail(DiagnosticCodes.InvalidValue, arg.Range, $"`{name}` of {Callee} must be at least {minimum}, but is {i.Value}");
            return fallback;
        }

        WrongType(name, arg, "an integer");
        return fallback;
    }

    /// <summary>An integer for both height and width, or a list <c>[h, w]</c>.</summary>
    public Pair IntPair(string name, Pair fallback, long minimum)
    {
        if (!_values.TryGetValue(name, out var arg)) return fallback;
        var pair = arg.Value switch
        {
            IntValue i => (H: i.Value, W: i.Value),
            ListValue list when list.Items.Count == 2 && list.Items[0] is IntValue h && list.Items[1] is IntValue w =>
                (H: h.Value, W: w.Value),
            _ => ((long H, long W)?)null,
        };
        if (pair is null)
        {
            WrongType(name, arg, "an integer or a list [height, width]");
            return fallback;
        }

        if (pair.Value.H < minimum || pair.Value.W < minimum)
        {
            Fail(DiagnosticCodes.InvalidValue, arg.Range, $"`{name}` of {Callee} must be at least {minimum}, but is {arg.Value.Display()}");
            return fallback;
        }

        return new Pair(pair.Value.H, pair.Value.W);
    }

    public bool Bool(string name, bool fallback)
    {
        if (!_values.TryGetValue(name, out var arg)) return fallback;
        if (arg.Value is BoolValue b) return b.Value;
        WrongType(name, arg, "true or false");
        return fallback;
    }

    public double Number(string name, double fallback, double minimum, double maximum)
    {
        if (!_values.TryGetValue(name, out var arg)) return fallback;
        double? number = arg.Value switch
        {
            FloatValue f => f.Value,
            IntValue i => i.Value,
            _ => null,
        };
        if (number is null)
        {
            WrongType(name, arg, "a number");
            return fallback;
        }

        if (double.IsNaN(number.Value) || number < minimum || number > maximum)
        {
            Fail(DiagnosticCodes.InvalidValue, arg.Range,
                $"`{name}` of {Callee} must be between {minimum:R} and {maximum:R}, but is {arg.Value.Display()}");
            return fallback;
        }

        return number.Value;
    }

    /// <summary>A list of finite numbers, <c>[0.458, 0.448, 0.45]</c>; empty when absent or wrong.</summary>
    public double[] Numbers(string name)
    {
        if (!_values.TryGetValue(name, out var arg)) return System.Array.Empty<double>();
        if (arg.Value is ListValue list && list.Items.Count > 0)
        {
            var numbers = list.Items.Select(item => item switch
            {
                FloatValue f when !double.IsNaN(f.Value) && !double.IsInfinity(f.Value) => f.Value,
                IntValue i => (double?)i.Value,
                _ => null,
            }).ToList();
            if (numbers.All(n => n is not null)) return numbers.Select(n => n!.Value).ToArray();
        }

        WrongType(name, arg, "a list of numbers");
        return System.Array.Empty<double>();
    }

    /// <summary>One of a few named options, written as a bare name (<c>mode: batch</c>) or a string.
    /// A name that is also a builtin layer, such as <c>tanh</c>, evaluates to that layer, and stands
    /// for its name here.</summary>
    public string Choice(string name, string fallback, params string[] options)
    {
        if (!_values.TryGetValue(name, out var arg)) return fallback;
        var text = arg.Value switch
        {
            StringValue s => s.Value,
            LayersValue l when l.Nodes.Count == 1 && l.Nodes[0] is LayerNode { Label: null } layer => layer.Spec.Kind,
            _ => null,
        };
        if (text is not null && System.Array.IndexOf(options, text) >= 0) return text;
        var alternatives = string.Join(" or ", options.Select(o => $"`{o}`"));
        Fail(DiagnosticCodes.ArgumentType, arg.Range, $"`{name}` of {Callee} must be {alternatives}, but is the {arg.Value.TypeName} {arg.Value.Display()}");
        return fallback;
    }

    /// <summary>A string argument, when the argument is one; otherwise null without a diagnostic.</summary>
    public string? Text(string name) =>
        _values.TryGetValue(name, out var arg) && arg.Value is StringValue s ? s.Value : null;

    public TextRange RangeOf(string name) => _values.TryGetValue(name, out var arg) ? arg.Range : CallRange;

    public void Fail(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null)
    {
        Failed = true;
        _diagnostics.Report(descriptor, range, message, help);
    }

    private void WrongType(string name, (Value Value, TextRange Range) arg, string expected) =>
        Fail(DiagnosticCodes.ArgumentType, arg.Range,
            $"`{name}` of {Callee} must be {expected}, but is the {arg.Value.TypeName} {arg.Value.Display()}");
}
