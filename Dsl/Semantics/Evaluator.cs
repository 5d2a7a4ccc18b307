using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Evaluates a parsed file: constants, block and network calls, loops and conditions,
/// down to each model's tree of layers. Every problem is a diagnostic; a failed expression
/// evaluates to null and its callers stay quiet, so one mistake is reported once.</summary>
public sealed partial class Evaluator
{
    public const int MaxCallDepth = 64;
    /// <summary>Layers one model may have. The largest published CNNs have a few thousand.</summary>
    public const int MaxLayers = 20_000;

    /// <summary>Elements a list may have (<c>range</c>, <c>+</c>, <c>*</c>).</summary>
    public const int MaxListLength = 100_000;

    /// <summary>Expressions evaluated inside one another (block calls within labels within
    /// brackets), at most. Keeps the evaluator's recursion far from the end of a 1 MiB stack.</summary>
    public const int MaxEvaluationDepth = 400;

    /// <summary>Steps (expressions evaluated, list elements made or compared) one model (or one
    /// top-level constant) may take. Real architectures take a few thousand (DenseNet-201: about
    /// 3,000; every shipped file: under 12,000 for all its models); the limit bounds
    /// the time of a model that loops over huge ranges, or of a block that calls itself twice
    /// at each level, to a few tens of milliseconds.</summary>
    public const long MaxEvaluationSteps = 250_000;

    /// <summary>Steps all the models and constants of one file may take together.</summary>
    public const long MaxFileEvaluationSteps = 10_000_000;

    /// <summary>Layers all the models of one file may have together.</summary>
    public const int MaxFileLayers = 200_000;

    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<LetDeclaration, Value?> _constants = new(ReferenceComparer<LetDeclaration>.Instance);
    private readonly HashSet<LetDeclaration> _constantsInProgress = new(ReferenceComparer<LetDeclaration>.Instance);
    private readonly Stack<string> _callStack = new();
    private int _layerBudget;
    private bool _budgetReported;
    private int _depth;
    private bool _depthReported;
    private long _steps;
    private long _unitSteps;
    private bool _unitLimitReported;
    private int _fileLayers;
    private bool _limitReported;
    private int _constantUses;

    public Evaluator(SourceFileSyntax syntax, DiagnosticBag diagnostics) : this(syntax, diagnostics, null)
    {
    }

    /// <summary>An evaluator for a file and, in <paramref name="imports"/>, the files it imports:
    /// each declaration is evaluated among the names of the file it is written in.</summary>
    internal Evaluator(SourceFileSyntax syntax, DiagnosticBag diagnostics, Imports.ImportGraph? imports)
    {
        _diagnostics = diagnostics;
        Syntax = syntax;
        _file = FileScopes(syntax, imports);
    }

    public SourceFileSyntax Syntax { get; }

    public IReadOnlyList<EvaluatedModel> EvaluateModels()
    {
        var models = new List<EvaluatedModel>();
        foreach (var declaration in Syntax.Declarations)
        {
            switch (declaration)
            {
                case LetDeclaration let when _globals.TryGetValue(let.Name.Name, out var d) && ReferenceEquals(d, let):
                    Constant(let.Name.Name, let.Name.Range);
                    break;
                case ModelDeclaration model when _globals.TryGetValue(model.Name.Name, out var d) && ReferenceEquals(d, model):
                    var evaluated = EvaluateModel(model);
                    if (evaluated is not null) models.Add(evaluated);
                    break;
            }
        }

        return models;
    }

    private EvaluatedModel? EvaluateModel(ModelDeclaration model)
    {
        if (_limitReported) return null; // the file's budget is spent: reported once, where it ran out
        (_unitSteps, _unitLimitReported) = (0, false);
        _layerBudget = MaxLayers;
        _budgetReported = false;
        _depthReported = false;
        var value = Evaluate(model.Body, Scope.Empty);
        if (value is null) return null;
        var layers = ExpectLayers(value, model.Body.Range);
        if (layers is null) return null;

        var nodes = layers.Nodes;
        NetworkDeclaration? network = null;
        if (nodes.Count == 1 && nodes[0] is GroupNode { Label: null, BlockName: { } blockName } called
            && _globals.TryGetValue(blockName, out var callee) && callee is NetworkDeclaration declared)
        {
            // A model that instantiates a network is that network: its layers sit at the top,
            // so weight names read `features.0.weight`, not `0.features.0.weight`.
            nodes = called.Children;
            network = declared;
        }
        else if (model.Body is CallExpression or NameExpression && TargetOf(model.Body) is NetworkDeclaration spliced)
        {
            network = spliced;
        }

        var inputSyntax = model.Input ?? network?.Input;
        if (inputSyntax is null)
        {
            Report(DiagnosticCodes.ModelNeedsInput, model.Name.Range,
                $"model `{model.Name.Name}` has no input shape",
                "declare one (`model Name input 3x224x224 = ...`) or instantiate a network, which declares its own");
            return null;
        }

        var input = InputShapeOf(inputSyntax);
        if (input is null) return null;
        if (nodes.Count == 0)
        {
            Report(DiagnosticCodes.EmptyModel, model.Name.Range, $"model `{model.Name.Name}` has no layers");
            return null;
        }

        return new EvaluatedModel(model.Name.Name, input, new GroupNode(nodes, null, model.Name.Name, model.Range), model.Name.Range)
        {
            InputRange = inputSyntax.Range,
        };
    }

    private Declaration? TargetOf(Expression expression) => expression switch
    {
        CallExpression call => _globals.TryGetValue(call.Callee.Name, out var d) ? d : null,
        NameExpression name => _globals.TryGetValue(name.Name.Name, out var d) ? d : null,
        _ => null,
    };

    private Shape? InputShapeOf(InputShape syntax)
    {
        var dims = syntax.Dimensions;
        if (dims.Any(d => d < 0))
        {
            Report(DiagnosticCodes.NumberOutOfRange, syntax.Range, "an input dimension does not fit in 64 bits");
            return null;
        }

        if (dims.Count != 3 || dims.Any(d => d == 0))
        {
            Report(DiagnosticCodes.InvalidValue, syntax.Range,
                $"input shape must be channels x height x width with every size at least 1, but is {string.Join("x", dims)}");
            return null;
        }

        return new Shape(dims.ToArray());
    }

    private Value? Evaluate(Expression expression, Scope scope)
    {
        if (_depth >= MaxEvaluationDepth)
        {
            if (!_depthReported)
            {
                _depthReported = true;
                Report(DiagnosticCodes.RecursionTooDeep, expression.Range,
                    $"the model nests deeper than {MaxEvaluationDepth} levels (block calls, labels, loops and operators inside one another)",
                    "nest fewer blocks and labeled groups inside one another");
                Abandon();
            }

            return null;
        }

        if (!Spend(1, expression.Range)) return null;
        _depth++;
        try
        {
            return EvaluateExpression(expression, scope);
        }
        finally
        {
            _depth--;
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
        if (_globals.TryGetValue(name.Name, out var declaration))
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
        if (_broken.Contains(name.Name)) return null; // its declaration did not parse: reported there
        ReportUnknown(name, scope);
        return null;
    }

    private void ReportUnknown(Identifier name, Scope scope)
    {
        if (ExplainedByImports(name)) return;
        // A model cannot be used inside layers, so naming one is never the fix.
        var candidates = scope.Names()
            .Concat(_globals.Where(g => g.Value is not ModelDeclaration).Select(g => g.Key))
            .Concat(LayerCatalog.Layers.Keys)
            .Concat(LayerCatalog.Constants.Keys)
            .Concat(Builtins.FunctionNames)
            .Concat(StructureNames);
        Report(DiagnosticCodes.UnknownName, name.Range, $"unknown name `{name.Name}`",
            Suggestions.DidYouMean(name.Name, candidates) ?? $"layers are {string.Join(", ", LayerCatalog.Layers.Keys)}");
    }

    private Value? Constant(string name, TextRange usedAt)
    {
        var declaration = (LetDeclaration)_globals[name];
        if (_constants.TryGetValue(declaration, out var known)) return known;
        if (!_constantsInProgress.Add(declaration))
        {
            Report(DiagnosticCodes.RecursionTooDeep, usedAt, $"constant `{name}` is defined in terms of itself");
            return null;
        }

        // A constant is evaluated once, on its own layer budget; each use is charged to the
        // model that uses it (see EvaluateName), so `let stem = conv(...)` works anywhere.
        var (budget, budgetReported) = (_layerBudget, _budgetReported);
        (_layerBudget, _budgetReported) = (MaxLayers, false);
        var outermost = _constantsInProgress.Count == 1 && _callStack.Count == 0 && _depth == 0;
        if (outermost) (_unitSteps, _unitLimitReported) = (0, false);
        var caller = _file;
        _file = HomeOf(declaration);
        var value = Evaluate(declaration.Value, Scope.Empty);
        _file = caller;
        (_layerBudget, _budgetReported) = (budget, budgetReported);
        _constantsInProgress.Remove(declaration);
        _constants[declaration] = value;
        return value;
    }

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

        if (_globals.TryGetValue(name, out var declaration))
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
        if (_broken.Contains(name)) return null; // its declaration did not parse: reported there
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

    /// <summary>Matches positional then named arguments to parameter names. Reports extra,
    /// unknown, repeated and missing arguments, and a positional argument after a named one
    /// (once, and nothing else about that call: which parameter it was meant for is a guess).</summary>
    private Dictionary<string, (Value, TextRange)>? BindArguments(
        string callee, IReadOnlyList<string> parameters, Func<string, bool> isRequired,
        List<(Argument Syntax, Value Value)> arguments, TextRange callRange, Func<string> signature)
    {
        if (PositionalAfterNamed(callee, parameters, arguments)) return null;
        var bound = new Dictionary<string, (Value, TextRange)>(StringComparer.Ordinal);
        var ok = true;
        var position = 0;
        foreach (var (syntax, value) in arguments)
        {
            string name;
            if (syntax.Name is null)
            {
                if (position >= parameters.Count)
                {
                    Report(DiagnosticCodes.MissingArgument, syntax.Range,
                        $"{callee} takes at most {parameters.Count} argument{(parameters.Count == 1 ? "" : "s")}, but is given more",
                        $"the signature is {signature()}");
                    ok = false;
                    continue;
                }

                name = parameters[position++];
            }
            else
            {
                name = syntax.Name.Name;
                if (!parameters.Contains(name))
                {
                    Report(DiagnosticCodes.UnknownArgument, syntax.Name.Range, $"{callee} has no parameter `{name}`",
                        Suggestions.DidYouMean(name, parameters) ?? $"the signature is {signature()}");
                    ok = false;
                    continue;
                }
            }

            if (bound.TryGetValue(name, out var earlier))
            {
                _diagnostics.Report(DiagnosticCodes.DuplicateArgument, syntax.Range, $"`{name}` of {callee} is given twice", null,
                    new[] { (earlier.Item2, $"`{name}` is first given here") });
                ok = false;
                continue;
            }

            bound[name] = (value, syntax.Range);
        }

        var missing = parameters.Where(p => isRequired(p) && !bound.ContainsKey(p)).ToList();
        if (ok && missing.Count > 0)
        {
            // All of them in one diagnostic: a bare `conv` lacks two arguments at one place.
            Report(DiagnosticCodes.MissingArgument, callRange,
                $"{callee} needs its {Enumerate(missing.Select(m => $"`{m}`").ToList())} argument{(missing.Count == 1 ? "" : "s")}",
                $"the signature is {signature()}");
            ok = false;
        }

        return ok ? bound : null;
    }

    private bool PositionalAfterNamed(string callee, IReadOnlyList<string> parameters, List<(Argument Syntax, Value Value)> arguments)
    {
        var firstNamed = arguments.FindIndex(a => a.Syntax.Name is not null);
        if (firstNamed < 0) return false;
        var stray = arguments.FindIndex(firstNamed + 1, a => a.Syntax.Name is null);
        if (stray < 0) return false;

        // The parameter it was most likely meant for: the first one neither filled by the
        // positional arguments before the named ones nor named.
        var named = new HashSet<string>(arguments.Where(a => a.Syntax.Name is not null).Select(a => a.Syntax.Name!.Name), StringComparer.Ordinal);
        var meant = parameters.Skip(firstNamed).FirstOrDefault(p => !named.Contains(p));
        var range = arguments[stray].Syntax.Range;
        var text = range.Length is > 0 and <= 24 ? _diagnostics.Sources.TextOf(range) ?? "..." : "...";
        var firstName = arguments[firstNamed].Syntax.Name!;
        _diagnostics.Report(DiagnosticCodes.PositionalAfterNamed, range,
            $"a positional argument of {callee} follows the named argument `{firstName.Name}`",
            meant is null
                ? "positional arguments come first; move it before the named ones"
                : $"positional arguments come first: name it (`{meant}: {text}`) or move it before `{firstName.Name}`",
            new[] { (arguments[firstNamed].Syntax.Range, "the first named argument") });
        return true;
    }

    private static string Grouped(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Enumerate(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

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

    /// <summary>Marks the layers a use of a constant makes with that use, so that the analysis
    /// can tell a constant whose layers were made twice (CNN0042).</summary>
    private Value? MarkUse(Value? value, Declaration constant, TextRange usedAt)
    {
        if (value is not LayersValue { Nodes.Count: > 0 } layers) return value;
        var use = new ConstantUse(constant.Name.Name, constant.Name.Range, usedAt, ++_constantUses);
        return new LayersValue(layers.Nodes.Select(n => n with { ConstantUses = n.ConstantUses.Concat(new[] { use }).ToArray() }).ToArray());
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

    private bool SpendLayer(TextRange range)
    {
        if (++_fileLayers > MaxFileLayers)
        {
            LimitReached(range, $"the models of this file have more than {Grouped(MaxFileLayers)} layers in all, more than CnnDsl checks in one file");
            return false;
        }

        if (--_layerBudget >= 0) return true;
        if (!_budgetReported)
        {
            _budgetReported = true;
            Report(DiagnosticCodes.InvalidValue, range, $"the model has more than {MaxLayers} layers",
                "check the counts given to `repeat` and the lengths of the lists looped over");
        }

        return false;
    }

    private Value? CallDeclared(Declaration declaration, string name, IReadOnlyList<Argument> arguments, TextRange range, Scope callerScope)
    {
        var (parameters, body) = declaration switch
        {
            BlockDeclaration b => (b.Parameters, b.Body),
            NetworkDeclaration n => (n.Parameters, n.Body),
            _ => throw new InvalidOperationException("only blocks and networks are callable"),
        };

        if (_callStack.Count >= MaxCallDepth)
        {
            Report(DiagnosticCodes.RecursionTooDeep, range,
                $"calls nest deeper than {MaxCallDepth} levels: {string.Join(" -> ", _callStack.Reverse().Take(6))} -> ...",
                "a block that calls itself, directly or through another block, needs a condition that stops it; for a fixed count use `repeat`");
            Abandon();
            return null;
        }

        var values = EvaluateArguments(arguments, callerScope);
        if (values is null) return null;
        var names = parameters.Select(p => p.Name.Name).ToList();
        // The signature is only spelled out for a diagnostic: a block may be called a million times.
        string Signature() => $"{name}({string.Join(", ", parameters.Select(p => p.Default is null ? p.Name.Name : p.Name.Name + " = ..."))})";
        var bound = BindArguments(name, names, p => parameters.First(x => x.Name.Name == p).Default is null, values, range, Signature);
        if (bound is null) return null;

        _callStack.Push(name);
        var caller = _file;
        _file = HomeOf(declaration);
        try
        {
            var scope = new Scope();
            foreach (var parameter in parameters)
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

    private Value? EvaluateSequence(SequenceExpression sequence, Scope scope)
    {
        var nodes = new List<NetworkNode>();
        var failed = false;
        foreach (var item in sequence.Items)
        {
            var layers = ExpectLayers(Evaluate(item, scope), item.Range);
            if (layers is null) failed = true;
            else nodes.AddRange(layers.Nodes);
        }

        return failed ? null : new LayersValue(nodes);
    }

    private Value? EvaluateLabeled(LabeledExpression labeled, Scope scope)
    {
        var label = LabelText(labeled.Label, scope);
        var layers = ExpectLayers(Evaluate(labeled.Body, scope), labeled.Body.Range);
        if (label is null || layers is null) return null;
        if (layers.Nodes.Count == 0) return layers;

        // `conv1: conv(...)` names that layer and `layer1: basic(64)` names the module the block
        // made; anything else (several layers, a block that splices its layers) becomes a group.
        NetworkNode node = layers.Nodes.Count == 1 && NamesItsResult(labeled.Body, layers.Nodes[0])
            ? layers.Nodes[0] with { Label = label }
            : new GroupNode(layers.Nodes, label, null, labeled.Range);
        return new LayersValue(new[] { node });
    }

    private bool NamesItsResult(Expression body, NetworkNode result)
    {
        if (body is GuardedExpression guarded) body = guarded.Body;
        var callee = body switch
        {
            CallExpression call => call.Callee.Name,
            NameExpression n => n.Name.Name,
            _ => null,
        };
        if (callee is null || result.Label is not null) return false;
        if (_globals.ContainsKey(callee)) return result is GroupNode group && group.BlockName == callee;
        return LayerCatalog.Layers.ContainsKey(callee) || (IsStructure(callee) && result is StructureNode);
    }

    private string? LabelText(Expression label, Scope scope)
    {
        if (label is NameExpression name) return name.Name.Name;
        var value = Evaluate(label, scope);
        if (value is null) return null;
        var text = value is StringValue s ? s.Value : value.Display();
        if (!IsLayerName(text))
        {
            Report(DiagnosticCodes.InvalidValue, label.Range, $"a layer name is letters, digits, '_' and '-', but this one is \"{text}\"",
                "PyTorch joins names with '.', so a name cannot hold one; write \"block1-0\" or \"layer{i + 1}\"");
            return null;
        }

        return text;
    }

    /// <summary>A label as PyTorch registers it: one path segment, so no '.'; ASCII letters,
    /// digits, '_' and '-' (torchvision's RegNet names its blocks `block1-0`).</summary>
    private static bool IsLayerName(string text) =>
        text.Length > 0 && text.All(c => c is '_' or '-' || char.IsLetterOrDigit(c) && c < 128);

    private Value? EvaluateFor(ForExpression loop, Scope scope)
    {
        var source = Evaluate(loop.Source, scope);
        if (source is null) return null;
        if (source is not ListValue list)
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, loop.Source.Range,
                $"`for` loops over a list, but this is the {source.TypeName} {source.Display()}");
        }

        var nodes = new List<NetworkNode>();
        foreach (var item in list.Items)
        {
            var layers = ExpectLayers(Evaluate(loop.Body, scope.With(loop.Variable.Name, item)), loop.Body.Range);
            if (layers is null) return null;
            nodes.AddRange(layers.Nodes);
        }

        return new LayersValue(nodes);
    }

    private Value? EvaluateRepeat(RepeatExpression repeat, Scope scope)
    {
        var count = Evaluate(repeat.Count, scope);
        if (count is null) return null;
        if (count is not IntValue { Value: >= 0 } times)
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, repeat.Count.Range,
                $"`repeat` needs a count of zero or more, but this is the {count.TypeName} {count.Display()}");
        }

        var nodes = new List<NetworkNode>();
        for (long i = 0; i < times.Value; i++)
        {
            var layers = ExpectLayers(Evaluate(repeat.Body, scope), repeat.Body.Range);
            if (layers is null) return null;
            nodes.AddRange(layers.Nodes);
            if (_layerBudget < 0) return null;
        }

        return new LayersValue(nodes);
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

    /// <summary>Charges work to the budgets of the model (or top-level constant) being evaluated
    /// and of the file (see <see cref="MaxEvaluationSteps"/>); false, reported once, when one is spent.</summary>
    internal bool Spend(long steps, TextRange range)
    {
        if (_limitReported || _unitLimitReported) return false;
        _steps += steps;
        _unitSteps += steps;
        if (_steps > MaxFileEvaluationSteps)
        {
            LimitReached(range, $"evaluating this file takes more than {Grouped(MaxFileEvaluationSteps)} steps (expressions evaluated, list elements made or compared)");
            return false;
        }

        if (_unitSteps <= MaxEvaluationSteps) return true;
        _unitLimitReported = true;
        Report(DiagnosticCodes.EvaluationLimit, range,
            $"evaluating this takes more than {Grouped(MaxEvaluationSteps)} steps (expressions evaluated, list elements made or compared)",
            "look for loops over huge ranges, lists built by repeated doubling, or a block that calls itself more than once");
        return false;
    }

    /// <summary>Stops evaluating the model (or top-level constant) at hand, quietly: after runaway
    /// recursion, its siblings would only run into the same wall, each of them at the cost of
    /// 64 levels of calls (a block that calls another that calls it back, several times over).</summary>
    private void Abandon() => _unitLimitReported = true;

    private void LimitReached(TextRange range, string message)
    {
        if (_limitReported) return;
        _limitReported = true;
        Report(DiagnosticCodes.EvaluationLimit, range, message + "; this model and the ones after it are not checked",
            "split the file: CnnDsl bounds the work it does for one file");
    }

    private LayersValue? ExpectLayers(Value? value, TextRange range)
    {
        if (value is null) return null;
        if (value is LayersValue layers) return layers;
        Report(DiagnosticCodes.TypeMismatch, range,
            $"expected layers here, but this is the {value.TypeName} {value.Display()}",
            value is IntValue ? "a number alone is not a layer; did you mean conv(...) or linear(...)?" : null);
        return null;
    }

    internal void Report(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null) =>
        _diagnostics.Report(descriptor, range, message, help);

    internal Value? ReportNull(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null)
    {
        Report(descriptor, range, message, help);
        return null;
    }
}
