using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>The language's value functions: <c>len(list)</c>, <c>range(n)</c>, <c>type(value)</c>
/// (the type's name: "integer", "decimal", "boolean", "string", "list", "layers"); the integer
/// helpers <c>round</c> (half to even, as Python's), <c>floor</c>, <c>ceil</c>, <c>int</c> (toward
/// zero), <c>min</c>, <c>max</c>; and <c>make_divisible(v, divisor, min_value = divisor)</c>,
/// torchvision's <c>_make_divisible</c> (MobileNet, EfficientNet, RegNet widths).</summary>
internal static class Builtins
{
    public static IReadOnlyList<string> FunctionNames { get; } =
        new[] { "len", "range", "type", "round", "floor", "ceil", "int", "min", "max", "make_divisible" };

    private static readonly string[] MakeDivisibleParameters = { "v", "divisor", "min_value" };

    /// <summary>2^63, the first double above every 64-bit integer.</summary>
    private const double TwoToThe63 = 9223372036854775808.0;

    public static bool IsFunction(string name) => FunctionNames.Contains(name);

    public static Value? Call(string name, List<(Argument Syntax, Value Value)>? arguments, CallExpression call, Evaluator evaluator)
    {
        if (arguments is null) return null;
        return name switch
        {
            "min" or "max" => Extreme(name, arguments, call, evaluator),
            "make_divisible" => MakeDivisible(arguments, call, evaluator),
            _ => CallWithOne(name, arguments, call, evaluator),
        };
    }

    private static Value? CallWithOne(string name, List<(Argument Syntax, Value Value)> arguments, CallExpression call, Evaluator evaluator)
    {
        if (arguments.Count != 1 || arguments[0].Syntax.Name is not null)
        {
            return evaluator.ReportNull(DiagnosticCodes.MissingArgument, call.Range, $"{name} takes exactly one positional argument");
        }

        var (syntax, value) = arguments[0];
        switch (name, value)
        {
            case ("type", _):
                return new StringValue(value.TypeName);
            case ("len", ListValue list):
                return new IntValue(list.Items.Count);
            case ("range", IntValue { Value: >= 0 and <= EvaluationBudget.MaxListLength } n):
                if (!evaluator.Spend(n.Value, call.Range)) return null;
                return new ListValue(Enumerable.Range(0, (int)n.Value).Select(i => (Value)new IntValue(i)).ToList());
            case ("range", IntValue n):
                return evaluator.ReportNull(DiagnosticCodes.InvalidValue, syntax.Range,
                    $"range needs a count from 0 to {EvaluationBudget.MaxListLength}, not {n.Value}");
            case ("round" or "floor" or "ceil" or "int", IntValue):
                return value;
            case ("round" or "floor" or "ceil" or "int", FloatValue f):
                return ToInteger(name, Rounded(name, f.Value), f, call.Range, evaluator);
            default:
                var wanted = name switch { "len" => "a list", "range" => "an integer", _ => "a number" };
                return evaluator.ReportNull(DiagnosticCodes.ArgumentType, syntax.Range,
                    $"{name} needs {wanted}, but is given the {value.TypeName} {value.Display()}");
        }
    }

    private static double Rounded(string name, double x) => name switch
    {
        "round" => Math.Round(x, MidpointRounding.ToEven),
        "floor" => Math.Floor(x),
        "ceil" => Math.Ceiling(x),
        _ => Math.Truncate(x),
    };

    private static Value? ToInteger(string name, double whole, FloatValue given, TextRange range, Evaluator evaluator) =>
        whole >= -TwoToThe63 && whole < TwoToThe63
            ? new IntValue((long)whole)
            : evaluator.ReportNull(DiagnosticCodes.NumberOutOfRange, range, $"{name}({given.Display()}) does not fit in a 64-bit integer");

    /// <summary><c>min</c> and <c>max</c> of two or more numbers, or of one list of numbers. As in
    /// Python, the first of equal extremes is the result, as it was given (an integer stays one).</summary>
    private static Value? Extreme(string name, List<(Argument Syntax, Value Value)> arguments, CallExpression call, Evaluator evaluator)
    {
        var named = arguments.FirstOrDefault(a => a.Syntax.Name is not null).Syntax;
        if (named is not null)
        {
            return evaluator.ReportNull(DiagnosticCodes.UnknownArgument, named.Name!.Range,
                $"{name} takes numbers, not named arguments", $"write {name}(a, b, ...) or {name}(list)");
        }

        IReadOnlyList<(TextRange Range, Value Value)> candidates;
        if (arguments.Count == 1 && arguments[0].Value is ListValue list)
        {
            if (list.Items.Count == 0)
            {
                return evaluator.ReportNull(DiagnosticCodes.InvalidValue, arguments[0].Syntax.Range, $"{name} of an empty list has no value");
            }

            candidates = list.Items.Select(item => (arguments[0].Syntax.Range, item)).ToList();
        }
        else if (arguments.Count >= 2)
        {
            candidates = arguments.Select(a => (a.Syntax.Range, a.Value)).ToList();
        }
        else
        {
            return evaluator.ReportNull(DiagnosticCodes.MissingArgument, call.Range,
                $"{name} needs two or more numbers, or one list of numbers", $"write {name}(a, b, ...) or {name}(list)");
        }

        if (!evaluator.Spend(candidates.Count, call.Range)) return null;
        Value? best = null;
        foreach (var (range, value) in candidates)
        {
            if (value is not (IntValue or FloatValue))
            {
                return evaluator.ReportNull(DiagnosticCodes.ArgumentType, range,
                    $"{name} compares numbers, but is given the {value.TypeName} {value.Display()}");
            }

            if (best is null || (name == "max" ? Compare(value, best) > 0 : Compare(value, best) < 0)) best = value;
        }

        return best;
    }

    /// <summary>Integers compare exactly (doubles would merge integers above 2^53).</summary>
    private static int Compare(Value a, Value b) => (a, b) switch
    {
        (IntValue x, IntValue y) => x.Value.CompareTo(y.Value),
        _ => ToDouble(a).CompareTo(ToDouble(b)),
    };

    private static double ToDouble(Value value) => value is IntValue i ? i.Value : ((FloatValue)value).Value;

    /// <summary>torchvision's <c>_make_divisible</c> (torchvision/models/_utils.py), step by step in
    /// the same double arithmetic: <c>new_v = max(min_value, int(v + divisor / 2) // divisor *
    /// divisor)</c>, plus <c>divisor</c> when that is below 90% of <c>v</c>. MnasNet's
    /// <c>_round_to_multiple_of(val, divisor)</c> is the same function with its default bias 0.9.</summary>
    private static Value? MakeDivisible(List<(Argument Syntax, Value Value)> arguments, CallExpression call, Evaluator evaluator)
    {
        const string signature = "make_divisible(v, divisor, min_value = divisor)";
        var bound = evaluator.BindArguments("make_divisible", MakeDivisibleParameters, p => p != "min_value", arguments, call.Range, () => signature);
        if (bound is null) return null;
        var (v, vRange) = bound["v"];
        var (divisorValue, divisorRange) = bound["divisor"];
        if (v is not (IntValue or FloatValue))
        {
            return evaluator.ReportNull(DiagnosticCodes.ArgumentType, vRange,
                $"`v` of make_divisible must be a number, but is the {v.TypeName} {v.Display()}");
        }

        if (divisorValue is not IntValue { Value: >= 1 } divisor)
        {
            return evaluator.ReportNull(DiagnosticCodes.ArgumentType, divisorRange,
                $"`divisor` of make_divisible must be an integer of at least 1, but is the {divisorValue.TypeName} {divisorValue.Display()}");
        }

        var minimum = divisor.Value;
        if (bound.TryGetValue("min_value", out var given))
        {
            if (given.Item1 is not IntValue m)
            {
                return evaluator.ReportNull(DiagnosticCodes.ArgumentType, given.Item2,
                    $"`min_value` of make_divisible must be an integer, but is the {given.Item1.TypeName} {given.Item1.Display()}");
            }

            minimum = m.Value;
        }

        var target = ToDouble(v);
        var shifted = Math.Truncate(target + divisor.Value / 2.0);
        if (!(shifted >= -TwoToThe63 && shifted < TwoToThe63))
        {
            return evaluator.ReportNull(DiagnosticCodes.NumberOutOfRange, vRange, $"make_divisible({v.Display()}, {divisor.Value}) does not fit in a 64-bit integer");
        }

        try
        {
            var whole = (long)shifted;
            var rounded = checked(FloorDivide(whole, divisor.Value) * divisor.Value);
            var result = Math.Max(minimum, rounded);
            if (result < 0.9 * target) result = checked(result + divisor.Value);
            return new IntValue(result);
        }
        catch (OverflowException)
        {
            return evaluator.ReportNull(DiagnosticCodes.NumberOutOfRange, call.Range, $"make_divisible({v.Display()}, {divisor.Value}) does not fit in a 64-bit integer");
        }
    }

    /// <summary>Python's <c>//</c> on integers: the quotient rounded down, not toward zero.</summary>
    private static long FloorDivide(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }
}
