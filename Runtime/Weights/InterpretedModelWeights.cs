using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime.Interpreter;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>Weights for models the interpreter builds, as generated classes have them.</summary>
    public static class InterpretedModelWeights
    {
        /// <summary>Loads a .pth/.pt state_dict or a .safetensors file into the model, strictly
        /// unless <paramref name="options"/> relaxes it (<see cref="WeightLoader.Load(TorchSharp.torch.nn.Module, string, string, WeightLoadOptions?, IReadOnlyList{WeightLayout})"/>).</summary>
        /// <param name="modelsInFile">The analysed models of the model's .cnn file, so that a
        /// mismatch can name the one the file fits; the model alone when null.</param>
        /// <exception cref="WeightFileException">Unreadable, refused or not fitting.</exception>
        public static WeightLoadReport LoadWeights(this InterpretedModel model, string path, WeightLoadOptions? options = null, IEnumerable<ModelInfo>? modelsInFile = null) =>
            WeightLoader.Load(model, model.Model.Name, path, options, Layouts(model, modelsInFile));

        /// <summary>As <see cref="LoadWeights(InterpretedModel, string, WeightLoadOptions?, IEnumerable{ModelInfo}?)"/>, from a file already read.</summary>
        public static WeightLoadReport LoadWeights(this InterpretedModel model, StateDictFile file, WeightLoadOptions? options = null, IEnumerable<ModelInfo>? modelsInFile = null) =>
            WeightLoader.Load(model, model.Model.Name, file, options, Layouts(model, modelsInFile));

        /// <summary>Saves the model's state_dict as .safetensors (with optional metadata) or .pth/.pt.</summary>
        public static void SaveWeights(this InterpretedModel model, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
            WeightLoader.Save(model, path, metadata);

        private static IReadOnlyList<WeightLayout> Layouts(InterpretedModel model, IEnumerable<ModelInfo>? modelsInFile)
        {
            var models = modelsInFile?.ToList() ?? new List<ModelInfo>();
            if (models.All(m => m.Name != model.Model.Name)) models.Insert(0, model.Model);
            return models.Select(m => m.Name == model.Model.Name ? WeightLayout.Of(model.Model) : WeightLayout.Of(m)).ToList();
        }
    }
}
