using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

// Expressions: literals, names, constants and conditions; each evaluation is charged to the budget.
public sealed partial class Evaluator
{
    private Value? Evaluate(Expression expression, Scope scope)
    {
        if (!_budget.Enter(expression.Range)) return null;
        try
        {
            return EvaluateExpression(expression, scope);
        }
        finally
        {
            _budget.Leave();
        }
    }

    private Value? EvaluateExpression(Expression expression, Scope scope)
    {
        switch (expression)
        {
            case IntegerLiteral i:
                return new IntValue(i.Value);
            case DecimalLiteral d:
                return new FloatValue(d.Value);
            case OversizedIntegerLiteral o:
                Report(DiagnosticCodes.NumberOutOfRange, o.Range, $"{o.Text} does not fit in a 64-bit integer");
                return null;
            case StringLiteral s:
                return Interpolate(s, scope);
            case ConcatExpression concat:
                return EvaluateConcat(concat, scope);
            case BooleanLiteral b:
                return new BoolValue(b.Value);
            case ListExpression list:
                return EvaluateList(list, scope);
            case NameExpression name:
                return EvaluateName(name.Name, scope);
            case CallExpression call:
                return EvaluateCall(call, scope);
            case SequenceExpression sequence:
                return EvaluateSequence(sequence, scope);
            case LabeledExpression labeled:
                return EvaluateLabeled(labeled, scope);
            case GuardedExpression guarded:
                return Condition(guarded.Condition, scope) switch
                {
                    true => ExpectLayers(Evaluate(guarded.Body, scope), guarded.Body.Range),
                    false => LayersValue.Empty,
                    null => null,
                };
            case IfExpression conditional:
                return Condition(conditional.Condition, scope) switch
                {
                    true => Evaluate(conditional.Then, scope),
                    false => conditional.Else is null ? LayersValue.Empty : Evaluate(conditional.Else, scope),
                    null => null,
                };
            case ForExpression loop:
                return EvaluateFor(loop, scope);
            case RepeatExpression repeat:
                return EvaluateRepeat(repeat, scope);
            case BinaryExpression binary:
                return EvaluateBinary(binary, scope);
            case UnaryExpression unary:
                return EvaluateUnary(unary, scope);
            case IndexExpression index:
                return EvaluateIndex(index, scope);
            case InputExpression input:
                return EvaluateInput(input, scope);
            default:
                Report(DiagnosticCodes.SyntaxError, expression.Range, "this expression is not supported here");
                return null;
        }
    }

    private Value? EvaluateList(ListExpression list, Scope scope)
    {
        var items = new List<Value>(list.Items.Count);
        foreach (var item in list.Items)
        {
            var value = Evaluate(item, scope);
            if (value is null) return null;
            items.Add(value);
        }

        return new ListValue(items);
    }

    private Value? EvaluateName(Identifier name, Scope scope)
    {
        if (scope.TryLookup(name.Name, out var local)) return local;
        if (Globals.TryGetValue(name.Name, out var declaration))
        {
            return declaration switch
            {
                LetDeclaration => MarkUse(SpendConstant(Constant(name.Name, name.Range), name.Range), declaration, name.Range),
                BlockDeclaration or NetworkDeclaration when HasRequiredParameters(declaration) => new BlockValue(declaration),
                BlockDeclaration or NetworkDeclaration => CallDeclared(declaration, name.Name, Array.Empty<Argument>(), name.Range, scope),
                _ => ReportNull(DiagnosticCodes.TypeMismatch, name.Range, $"`{name.Name}` is a model; models cannot be used inside other layers",
                    "turn it into a network and instantiate that"),
            };
        }

        if (LayerCatalog.Layers.TryGetValue(name.Name, out var builtin))
        {
            return BuildLayer(builtin, Array.Empty<Argument>(), name.Range, scope);
        }

        if (LayerCatalog.Constants.TryGetValue(name.Name, out var constant)) return constant;
        if (Broken.Contains(name.Name)) return null; // its declaration did not parse: reported there
        ReportUnknown(name, scope);
        return null;
    }

    private void ReportUnknown(Identifier name, Scope scope)
    {
        if (ExplainedByImports(name)) return;
        // A model cannot be used inside layers, so naming one is never the fix.
        var candidates = scope.Names()
            .Concat(Globals.Where(g => g.Value is not ModelDeclaration).Select(g => g.Key))
            .Concat(LayerCatalog.Layers.Keys)
            .Concat(LayerCatalog.Constants.Keys)
            .Concat(Builtins.FunctionNames)
            .Concat(StructureNames);
        Report(DiagnosticCodes.UnknownName, name.Range, $"unknown name `{name.Name}`",
            Suggestions.DidYouMean(name.Name, candidates) ?? $"layers are {string.Join(", ", LayerCatalog.Layers.Keys)}");
    }

    private Value? Constant(string name, TextRange usedAt)
    {
        var declaration = (LetDeclaration)Globals[name];
        if (_constants.TryGetValue(declaration, out var known)) return known;
        if (!_constantsInProgress.Add(declaration))
        {
            Report(DiagnosticCodes.RecursionTooDeep, usedAt, $"constant `{name}` is defined in terms of itself");
            return null;
        }

        // A constant is evaluated once, on its own layer budget; each use is charged to the
        // model that uses it (see EvaluateName), so `let stem = conv(...)` works anywhere.
        var layers = _budget.SetAsideLayers();
        var outermost = _constantsInProgress.Count == 1 && _callStack.Count == 0 && _budget.Depth == 0;
        if (outermost) _budget.BeginConstant();
        var caller = _file;
        _file = HomeOf(declaration);
        var value = Evaluate(declaration.Value, Scope.Empty);
        _file = caller;
        _budget.RestoreLayers(layers);
        _constantsInProgress.Remove(declaration);
        _constants[declaration] = value;
        return value;
    }

    /// <summary>Marks the layers a use of a constant makes with that use, so that the analysis
    /// can tell a constant whose layers were made twice (CNN0042).</summary>
    private Value? MarkUse(Value? value, Declaration constant, TextRange usedAt)
    {
        if (value is not LayersValue { Nodes.Count: > 0 } layers) return value;
        var use = new ConstantUse(constant.Name.Name, constant.Name.Range, usedAt, ++_constantUses);
        return new LayersValue(layers.Nodes.Select(n => n with { ConstantUses = n.ConstantUses.Concat(new[] { use }).ToArray() }).ToArray());
    }

    private bool? Condition(Expression expression, Scope scope)
    {
        var value = Evaluate(expression, scope);
        if (value is null) return null;
        if (value is BoolValue b) return b.Value;
        Report(DiagnosticCodes.TypeMismatch, expression.Range,
            $"a condition must be true or false, but this is the {value.TypeName} {value.Display()}");
        return null;
    }

}
