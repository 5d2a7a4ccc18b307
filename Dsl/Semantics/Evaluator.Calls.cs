using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

// Calls: builtin layers and functions, blocks and networks, and their arguments.
public sealed partial class Evaluator
{
    private Value? EvaluateCall(CallExpression call, Scope scope)
    {
        var name = call.Callee.Name;
        if (scope.TryLookup(name, out var local) && local is BlockValue block)
        {
            return CallDeclared(block.Declaration, block.Declaration.Name.Name, call.Arguments, call.Range, scope);
        }

        if (scope.TryLookup(name, out local))
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, call.Callee.Range,
                $"`{name}` is the {local.TypeName} {local.Display()}, not a layer or block, so it cannot be called");
        }

        if (Globals.TryGetValue(name, out var declaration))
        {
            if (declaration is BlockDeclaration or NetworkDeclaration)
            {
                return CallDeclared(declaration, name, call.Arguments, call.Range, scope);
            }

            return ReportNull(DiagnosticCodes.TypeMismatch, call.Callee.Range,
                $"`{name}` is a {(declaration is LetDeclaration ? "constant" : "model")}, not a layer or block, so it cannot be called");
        }

        if (LayerCatalog.Layers.TryGetValue(name, out var builtin)) return BuildLayer(builtin, call.Arguments, call.Range, scope);
        if (IsStructure(name)) return EvaluateStructure(call, scope);
        if (Builtins.IsFunction(name)) return Builtins.Call(name, EvaluateArguments(call.Arguments, scope), call, this);
        if (Broken.Contains(name)) return null; // its declaration did not parse: reported there
        ReportUnknown(call.Callee, scope);
        return null;
    }

    private List<(Argument Syntax, Value Value)>? EvaluateArguments(IReadOnlyList<Argument> arguments, Scope scope)
    {
        var values = new List<(Argument, Value)>(arguments.Count);
        var failed = false;
        foreach (var argument in arguments)
        {
            var value = Evaluate(argument.Value, scope);
            if (value is null) failed = true;
            else values.Add((argument, value));
        }

        return failed ? null : values;
    }

    private Value? BuildLayer(BuiltinLayer layer, IReadOnlyList<Argument> arguments, TextRange range, Scope scope)
    {
        var values = EvaluateArguments(arguments, scope);
        if (values is null) return null;
        bool IsRequired(string parameter)
        {
            for (var i = 0; i < layer.RequiredCount; i++)
            {
                if (layer.Parameters[i] == parameter) return true;
            }

            return false;
        }

        var bound = BindArguments(layer.Name, layer.Parameters, IsRequired, values, range, () => layer.Signature);
        if (bound is null) return null;
        var spec = layer.Build(new BoundArguments(layer.Name, bound, range, _diagnostics));
        if (spec is null || !SpendLayer(range)) return null;
        return new LayersValue(new NetworkNode[] { new LayerNode(spec, null, range) });
    }

    /// <summary>Charges the layers of a constant to the model being evaluated.</summary>
    private Value? SpendConstant(Value? value, TextRange range) =>
        value is LayersValue layers && !SpendLayers(layers.Nodes, range) ? null : value;

    private bool SpendLayers(IReadOnlyList<NetworkNode> nodes, TextRange range)
    {
        foreach (var node in nodes)
        {
            var ok = node is LayerNode ? SpendLayer(range) : SpendLayers(ChildrenOf(node), range);
            if (!ok) return false;
        }

        return true;
    }

    private bool SpendLayer(TextRange range) => _budget.SpendLayer(range);

    private Value? CallDeclared(Declaration declaration, string name, IReadOnlyList<Argument> arguments, TextRange range, Scope callerScope)
    {
        var parameters = ParametersOf(declaration);
        if (_callStack.Count >= EvaluationBudget.MaxCallDepth)
        {
            Report(DiagnosticCodes.RecursionTooDeep, range,
                $"calls nest deeper than {EvaluationBudget.MaxCallDepth} levels: {string.Join(" -> ", _callStack.Reverse().Take(6))} -> ...",
                "a block that calls itself, directly or through another block, needs a condition that stops it; for a fixed count use `repeat`");
            _budget.Abandon();
            return null;
        }

        var values = EvaluateArguments(arguments, callerScope);
        if (values is null) return null;
        var names = parameters.Select(p => p.Name.Name).ToList();
        // The signature is only spelled out for a diagnostic: a block may be called a million times.
        string Signature() => $"{name}({string.Join(", ", parameters.Select(p => p.Default is null ? p.Name.Name : p.Name.Name + " = ..."))})";
        var bound = BindArguments(name, names, p => parameters.First(x => x.Name.Name == p).Default is null, values, range, Signature);
        if (bound is null) return null;
        return ReadsInput(declaration) ? Defer(declaration, name, bound, range) : EvaluateBody(declaration, name, bound, range, null);
    }

    private static IReadOnlyList<Parameter> ParametersOf(Declaration declaration) => declaration switch
    {
        BlockDeclaration b => b.Parameters,
        NetworkDeclaration n => n.Parameters,
        _ => throw new InvalidOperationException("only blocks and networks are callable"),
    };

    /// <summary>The body of a block or network with its arguments bound (defaults are evaluated
    /// here, in order, so they may use the parameters before them and <c>input</c>).</summary>
    private Value? EvaluateBody(
        Declaration declaration, string name, IReadOnlyDictionary<string, (Value, TextRange)> bound, TextRange range, BlockInput? input)
    {
        var body = declaration is BlockDeclaration block ? block.Body : ((NetworkDeclaration)declaration).Body;
        _callStack.Push(name);
        var caller = _file;
        _file = HomeOf(declaration);
        try
        {
            var scope = new Scope(input: input);
            foreach (var parameter in ParametersOf(declaration))
            {
                Value? value = bound.TryGetValue(parameter.Name.Name, out var given)
                    ? given.Item1
                    : Evaluate(parameter.Default!, scope);
                if (value is null) return null;
                scope.Define(parameter.Name.Name, value);
            }

            var result = Evaluate(body, scope);
            if (result is LayersValue layers && HasNamedMembers(layers.Nodes))
            {
                // A block whose layers have names is a module of its own (a ResNet block):
                // it becomes one group, and its layers' names nest under the group's.
                return new LayersValue(new NetworkNode[] { new GroupNode(layers.Nodes, null, name, range) });
            }

            return result;
        }
        finally
        {
            _callStack.Pop();
            _file = caller;
        }
    }
}
