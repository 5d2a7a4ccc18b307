using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

public sealed partial class Evaluator
{
    private Value? EvaluateBinary(BinaryExpression binary, Scope scope)
    {
        if (binary.Operator is "and" or "or")
        {
            var left = Condition(binary.Left, scope);
            if (left is null) return null;
            if (binary.Operator == "and" && left == false) return new BoolValue(false);
            if (binary.Operator == "or" && left == true) return new BoolValue(true);
            var right = Condition(binary.Right, scope);
            return right is null ? null : new BoolValue(right.Value);
        }

        var a = Evaluate(binary.Left, scope);
        var b = Evaluate(binary.Right, scope);
        if (a is null || b is null) return null;

        try
        {
            return (binary.Operator, a, b) switch
            {
                ("==", _, _) => Compare(a, b, binary, equal: true),
                ("!=", _, _) => Compare(a, b, binary, equal: false),
                ("+", ListValue x, ListValue y) => JoinLists(x, y, binary),
                ("*", ListValue x, IntValue n) => RepeatList(x, n, binary),
                ("+", IntValue x, IntValue y) => new IntValue(checked(x.Value + y.Value)),
                ("-", IntValue x, IntValue y) => new IntValue(checked(x.Value - y.Value)),
                ("*", IntValue x, IntValue y) => new IntValue(checked(x.Value * y.Value)),
                ("/", IntValue x, IntValue y) => y.Value == 0 ? DivisionByZero(binary) : new IntValue(x.Value / y.Value),
                ("%", IntValue x, IntValue y) => y.Value == 0 ? DivisionByZero(binary) : new IntValue(x.Value % y.Value),
                (_, IntValue or FloatValue, IntValue or FloatValue) => Arithmetic(binary, ToDouble(a), ToDouble(b)),
                _ => ReportNull(DiagnosticCodes.TypeMismatch, binary.Range,
                    $"`{binary.Operator}` cannot combine the {a.TypeName} {a.Display()} and the {b.TypeName} {b.Display()}"),
            };
        }
        catch (OverflowException)
        {
            return ReportNull(DiagnosticCodes.NumberOutOfRange, binary.Range,
                $"{a.Display()} {binary.Operator} {b.Display()} does not fit in a 64-bit integer");
        }
    }

    private Value? Arithmetic(BinaryExpression binary, double x, double y) => binary.Operator switch
    {
        "+" => new FloatValue(x + y),
        "-" => new FloatValue(x - y),
        "*" => new FloatValue(x * y),
        "/" => y == 0 ? DivisionByZero(binary) : new FloatValue(x / y),
        "<" => new BoolValue(x < y),
        "<=" => new BoolValue(x <= y),
        ">" => new BoolValue(x > y),
        ">=" => new BoolValue(x >= y),
        _ => ReportNull(DiagnosticCodes.TypeMismatch, binary.Range, $"`{binary.Operator}` does not apply to decimals"),
    };

    private Value? JoinLists(ListValue x, ListValue y, BinaryExpression binary)
    {
        var count = (long)x.Items.Count + y.Items.Count;
        if (count > EvaluationBudget.MaxListLength)
        {
            return ReportNull(DiagnosticCodes.InvalidValue, binary.Range,
                $"a list can have at most {EvaluationBudget.MaxListLength} elements, but this one would have {count}");
        }

        return Spend(count, binary.Range) ? new ListValue(x.Items.Concat(y.Items).ToList()) : null;
    }

    private Value? Compare(Value a, Value b, BinaryExpression binary, bool equal)
    {
        var result = ValuesEqual(a, b, binary.Range);
        return result is null ? null : new BoolValue(result.Value == equal);
    }

    private Value? RepeatList(ListValue list, IntValue times, BinaryExpression binary)
    {
        if (times.Value < 0 || checked(times.Value * list.Items.Count) > EvaluationBudget.MaxListLength)
        {
            return ReportNull(DiagnosticCodes.InvalidValue, binary.Range,
                $"a list can be repeated 0 to {EvaluationBudget.MaxListLength} elements' worth, not {times.Value} times");
        }

        if (!Spend(times.Value * list.Items.Count, binary.Range)) return null;

        var items = new List<Value>();
        for (var i = 0; i < times.Value; i++) items.AddRange(list.Items);
        return new ListValue(items);
    }

    private Value? DivisionByZero(BinaryExpression binary) =>
        ReportNull(DiagnosticCodes.DivisionByZero, binary.Right.Range, "division by zero");

    private static double ToDouble(Value value) => value is IntValue i ? i.Value : ((FloatValue)value).Value;

    /// <summary>Structural equality; comparing lists element by element is charged to the
    /// evaluation budget (null when it runs out), since lists may share huge sublists.</summary>
    private bool? ValuesEqual(Value a, Value b, Text.TextRange range)
    {
        switch (a, b)
        {
            case (IntValue x, FloatValue y):
                return x.Value == y.Value;
            case (FloatValue x, IntValue y):
                return x.Value == y.Value;
            case (ListValue x, ListValue y):
                if (x.Items.Count != y.Items.Count) return false;
                if (!Spend(x.Items.Count, range)) return null;
                for (var i = 0; i < x.Items.Count; i++)
                {
                    var same = ValuesEqual(x.Items[i], y.Items[i], range);
                    if (same != true) return same;
                }

                return true;
            default:
                return a.Equals(b);
        }
    }

    private Value? EvaluateUnary(UnaryExpression unary, Scope scope)
    {
        if (unary.Operator == "not")
        {
            var condition = Condition(unary.Operand, scope);
            return condition is null ? null : new BoolValue(!condition.Value);
        }

        var operand = Evaluate(unary.Operand, scope);
        return operand switch
        {
            null => null,
            IntValue { Value: long.MinValue } => ReportNull(DiagnosticCodes.NumberOutOfRange, unary.Range, "negation overflows"),
            IntValue i => new IntValue(-i.Value),
            FloatValue f => new FloatValue(-f.Value),
            _ => ReportNull(DiagnosticCodes.TypeMismatch, unary.Range,
                $"`-` applies to numbers, not to the {operand.TypeName} {operand.Display()}"),
        };
    }

    private Value? EvaluateIndex(IndexExpression index, Scope scope)
    {
        var target = Evaluate(index.Target, scope);
        var position = Evaluate(index.Index, scope);
        if (target is null || position is null) return null;
        if (target is not ListValue list)
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, index.Target.Range,
                $"only lists can be indexed, but this is the {target.TypeName} {target.Display()}");
        }

        if (position is not IntValue i)
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, index.Index.Range,
                $"a list index must be an integer, but this is the {position.TypeName} {position.Display()}");
        }

        var at = i.Value < 0 ? list.Items.Count + i.Value : i.Value;
        if (at < 0 || at >= list.Items.Count)
        {
            return ReportNull(DiagnosticCodes.IndexOutOfRange, index.Index.Range,
                $"index {i.Value} is outside the list of {list.Items.Count} element{(list.Items.Count == 1 ? "" : "s")}");
        }

        return list.Items[(int)at];
    }
}
