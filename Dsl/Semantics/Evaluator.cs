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
/// <remarks>This file holds the declarations and models; the other parts: expressions
/// (Evaluator.Expressions.cs), calls (Evaluator.Calls.cs), sequences, labels and loops
/// (Evaluator.Layers.cs), operators (Evaluator.Operators.cs), branches and merges
/// (Evaluator.Structure.cs). The bounds on its work are <see cref="EvaluationBudget"/>'s, and
/// arguments are matched to parameters by <see cref="ArgumentBinder"/>.</remarks>
public sealed partial class Evaluator
{
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<LetDeclaration, Value?> _constants = new(ReferenceComparer<LetDeclaration>.Instance);
    private readonly HashSet<LetDeclaration> _constantsInProgress = new(ReferenceComparer<LetDeclaration>.Instance);
    private readonly Stack<string> _callStack = new();
    private int _constantUses;
    private readonly EvaluationBudget _budget;
    private readonly ArgumentBinder _binder;

    public Evaluator(SourceFileSyntax syntax, DiagnosticBag diagnostics) : this(syntax, diagnostics, null)
    {
    }

    /// <summary>An evaluator for a file and, in <paramref name="imports"/>, the files it imports:
    /// each declaration is evaluated among the names of the file it is written in.</summary>
    internal Evaluator(SourceFileSyntax syntax, DiagnosticBag diagnostics, Imports.ImportGraph? imports)
    {
        _diagnostics = diagnostics;
        _budget = new EvaluationBudget(diagnostics);
        _binder = new ArgumentBinder(diagnostics);
        Syntax = syntax;
        _file = FileScopes(syntax, imports);
    }

    public SourceFileSyntax Syntax { get; }

    /// <summary>The file's models, each evaluated when it is enumerated: the calls a model defers
    /// (blocks that read <c>input</c>) are expanded while it is analysed, on its budget, so analyse
    /// each model before moving on to the next.</summary>
    public IEnumerable<EvaluatedModel> EvaluateModels()
    {
        foreach (var declaration in Syntax.Declarations)
        {
            switch (declaration)
            {
                case LetDeclaration let when Globals.TryGetValue(let.Name.Name, out var d) && ReferenceEquals(d, let):
                    Constant(let.Name.Name, let.Name.Range);
                    break;
                case ModelDeclaration model when Globals.TryGetValue(model.Name.Name, out var d) && ReferenceEquals(d, model):
                    var evaluated = EvaluateModel(model);
                    if (evaluated is not null) yield return evaluated;
                    break;
            }
        }
    }

    private EvaluatedModel? EvaluateModel(ModelDeclaration model)
    {
        if (_budget.FileSpent) return null; // the file's budget is spent: reported once, where it ran out
        _budget.BeginModel();
        _expansions.Clear();
        var value = Evaluate(model.Body, Scope.Empty);
        if (value is null) return null;
        var layers = ExpectLayers(value, model.Body.Range);
        if (layers is null) return null;

        var nodes = layers.Nodes;
        NetworkDeclaration? network = null;
        if (nodes.Count == 1 && nodes[0] is GroupNode { Label: null, BlockName: { } blockName } called
            && Globals.TryGetValue(blockName, out var callee) && callee is NetworkDeclaration declared)
        {
            // A model that instantiates a network is that network: its layers sit at the top,
            // so weight names read `features.0.weight`, not `0.features.0.weight`.
            nodes = called.Children;
            network = declared;
        }
        else if (nodes.Count == 1 && nodes[0] is DeferredNode { Label: null } deferred && deferred.Call.Declaration is NetworkDeclaration deferredNetwork)
        {
            nodes = new NetworkNode[] { deferred with { Placement = DeferredPlacement.ModelNetwork } };
            network = deferredNetwork;
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
        CallExpression call => Globals.TryGetValue(call.Callee.Name, out var d) ? d : null,
        NameExpression name => Globals.TryGetValue(name.Name.Name, out var d) ? d : null,
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

    /// <summary>Charges work to the budgets of the model (or top-level constant) being evaluated
    /// and of the file; false, reported once, when one is spent.</summary>
    internal bool Spend(long steps, TextRange range) => _budget.Spend(steps, range);

    /// <summary>See <see cref="ArgumentBinder.Bind"/>.</summary>
    internal Dictionary<string, (Value, TextRange)>? BindArguments(
        string callee, IReadOnlyList<string> parameters, Func<string, bool> isRequired,
        List<(Argument Syntax, Value Value)> arguments, TextRange callRange, Func<string> signature) =>
        _binder.Bind(callee, parameters, isRequired, arguments, callRange, signature);

    internal void Report(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null) =>
        _diagnostics.Report(descriptor, range, message, help);

    internal Value? ReportNull(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null)
    {
        Report(descriptor, range, message, help);
        return null;
    }
}
