using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

/// <summary>The language's few value functions: <c>len(list)</c>, <c>range(n)</c> and
/// <c>type(value)</c> (the type's name: "integer", "decimal", "boolean", "string", "list", "layers").</summary>
internal static class Builtins
{
    public static IReadOnlyList<string> FunctionNames { get; } = new[] { "len", "range", "type" };

    public static bool IsFunction(string name) => FunctionNames.Contains(name);

    public static Value? Call(string name, List<(Argument Syntax, Value Value)>? arguments, CallExpression call, Evaluator evaluator)
    {
        if (arguments is null) return null;
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
            default:
                return evaluator.ReportNull(DiagnosticCodes.ArgumentType, syntax.Range,
                    $"{name} needs {(name == "len" ? "a list" : "an integer")}, but is given the {value.TypeName} {value.Display()}");
        }
    }
}
