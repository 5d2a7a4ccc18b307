using CnnDsl.Cli.Input;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;

namespace CnnDsl.Cli.Verification;

/// <summary><c>cnn verify --weights</c>: whether a weights file loads strictly into a model.</summary>
public static class WeightCheck
{
    /// <summary>Builds the model, loads the file; the error names the first key that does not fit.</summary>
    public static (string? Error, string Text) Describe(ModelInfo model, string weights, bool dropAux, string cnnPath)
    {
        using var module = new InterpretedModel(model);
        try
        {
            var report = module.LoadWeights(weights, new WeightLoadOptions { DropAuxiliaryHeads = dropAux }, WeightOptions.ModelsInFile(cnnPath));
            var dropped = report.Dropped.Count > 0 ? $", {report.Dropped.Count} auxiliary-head tensors dropped" : "";
            return (null, $"weights {weights} fit ({report.Loaded} tensors{dropped})");
        }
        catch (WeightFileException e)
        {
            return (e.Message, "");
        }
    }
}
