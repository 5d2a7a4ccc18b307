using System.Globalization;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>The bounds on the work of evaluating one file: steps and layers per model (or
/// top-level constant) and per file, and how deep expressions nest. Each bound is reported once,
/// where it ran out; after that, evaluation of the unit (or the file) stops quietly.</summary>
internal sealed class EvaluationBudget
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
    private long _fileSteps;
    private int _fileLayers;
    private bool _fileSpent;
    private long _unitSteps;
    private bool _unitSpent;
    private int _layersLeft = MaxLayers;
    private bool _layersReported;
    private bool _depthReported;

    public EvaluationBudget(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    /// <summary>True once the file's steps or layers are spent (reported there).</summary>
    public bool FileSpent => _fileSpent;

    /// <summary>True once the unit's layers are spent: a loop stops making more.</summary>
    public bool LayersSpent => _layersLeft < 0;

    /// <summary>Expressions being evaluated inside one another right now.</summary>
    public int Depth { get; set; }

    /// <summary>A model starts with a full allowance of steps, layers and depth.</summary>
    public void BeginModel()
    {
        (_unitSteps, _unitSpent) = (0, false);
        (_layersLeft, _layersReported) = (MaxLayers, false);
        _depthReported = false;
    }

    /// <summary>A top-level constant evaluated on its own starts with a full allowance of steps.</summary>
    public void BeginConstant() => (_unitSteps, _unitSpent) = (0, false);

    /// <summary>Gives a constant a layer allowance of its own, returning the one it replaces.</summary>
    public (int Left, bool Reported) SetAsideLayers()
    {
        var saved = (_layersLeft, _layersReported);
        (_layersLeft, _layersReported) = (MaxLayers, false);
        return saved;
    }

    public void RestoreLayers((int Left, bool Reported) saved) => (_layersLeft, _layersReported) = saved;

    /// <summary>Enters one more level of evaluation and charges one step; false (reported once)
    /// when that is too deep or the steps are spent. A true result must be paired with <see cref="Leave"/>.</summary>
    public bool Enter(TextRange range)
    {
        if (Depth >= MaxEvaluationDepth)
        {
            if (!_depthReported)
            {
                _depthReported = true;
                _diagnostics.Report(DiagnosticCodes.RecursionTooDeep, range,
                    $"the model nests deeper than {MaxEvaluationDepth} levels (block calls, labels, loops and operators inside one another)",
                    "nest fewer blocks and labeled groups inside one another");
                Abandon();
            }

            return false;
        }

        if (!Spend(1, range)) return false;
        Depth++;
        return true;
    }

    public void Leave() => Depth--;

    /// <summary>Charges work to the unit (model or top-level constant) and to the file (see
    /// <see cref="MaxEvaluationSteps"/>); false, reported once, when one is spent.</summary>
    public bool Spend(long steps, TextRange range)
    {
        if (_fileSpent || _unitSpent) return false;
        _fileSteps += steps;
        _unitSteps += steps;
        if (_fileSteps > MaxFileEvaluationSteps)
        {
            FileLimitReached(range, $"evaluating this file takes more than {Grouped(MaxFileEvaluationSteps)} steps (expressions evaluated, list elements made or compared)");
            return false;
        }

        if (_unitSteps <= MaxEvaluationSteps) return true;
        _unitSpent = true;
        _diagnostics.Report(DiagnosticCodes.EvaluationLimit, range,
            $"evaluating this takes more than {Grouped(MaxEvaluationSteps)} steps (expressions evaluated, list elements made or compared)",
            "look for loops over huge ranges, lists built by repeated doubling, or a block that calls itself more than once");
        return false;
    }

    /// <summary>Charges one layer to the unit and the file; false, reported once, when one is spent.</summary>
    public bool SpendLayer(TextRange range)
    {
        if (++_fileLayers > MaxFileLayers)
        {
            FileLimitReached(range, $"the models of this file have more than {Grouped(MaxFileLayers)} layers in all, more than CnnDsl checks in one file");
            return false;
        }

        if (--_layersLeft >= 0) return true;
        if (!_layersReported)
        {
            _layersReported = true;
            _diagnostics.Report(DiagnosticCodes.InvalidValue, range, $"the model has more than {MaxLayers} layers",
                "check the counts given to `repeat` and the lengths of the lists looped over");
        }

        return false;
    }

    /// <summary>Stops evaluating the unit at hand, quietly: after runaway recursion, its siblings
    /// would only run into the same wall, each of them at the cost of 64 levels of calls (a block
    /// that calls another that calls it back, several times over).</summary>
    public void Abandon() => _unitSpent = true;

    private void FileLimitReached(TextRange range, string message)
    {
        if (_fileSpent) return;
        _fileSpent = true;
        _diagnostics.Report(DiagnosticCodes.EvaluationLimit, range, message + "; this model and the ones after it are not checked",
            "split the file: CnnDsl bounds the work it does for one file");
    }

    internal static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
