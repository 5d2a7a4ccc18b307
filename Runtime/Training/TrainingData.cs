using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>What a training run reads: its training batches, its validation batches (if
    /// any), the class names and how the images were prepared.</summary>
    public sealed class TrainingData : IDisposable
    {
        private readonly IDisposable? owned;

        public TrainingData(IBatchSource train, IBatchSource? validation, IReadOnlyList<string> classNames, DataSpec spec, IDisposable? owned = null)
        {
            Train = train ?? throw new ArgumentNullException(nameof(train));
            Validation = validation;
            ClassNames = classNames;
            Spec = spec;
            this.owned = owned;
        }

        public IBatchSource Train { get; }
        public IBatchSource? Validation { get; }

        /// <summary>Class 0 first; for digits, "0" to "9".</summary>
        public IReadOnlyList<string> ClassNames { get; }

        public DataSpec Spec { get; }

        public int TrainCount => (int)Train.Count;
        public int ValidationCount => (int)(Validation?.Count ?? 0);

        /// <summary>MNIST digits in memory: the stratified validation part split off as
        /// <paramref name="options"/> says, both parts fitted to the model's input.</summary>
        public static TrainingData FromDigits(LabeledImages digits, Classifier model, TrainingOptions options)
        {
            var (train, validation) = TrainingSession.Split(digits, options);
            using var scope = torch.NewDisposeScope();
            var (trainImages, trainLabels) = DigitTensors.Create(train, model.Input);
            var (validationImages, validationLabels) = validation is null ? (null, null) : DigitTensors.Create(validation, model.Input);
            var tensors = new TensorSet(new[] { trainImages, trainLabels, validationImages, validationLabels }.Where(t => t is not null).Select(t => t!).ToArray());
            scope.MoveToOuter(tensors.Tensors);
            var names = Enumerable.Range(0, digits.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
            return new TrainingData(
                new TensorBatches(trainImages, trainLabels),
                validation is null ? null : new TensorBatches(validationImages!, validationLabels!),
                names, DataSpec.Digits, tensors);
        }

        public void Dispose() => owned?.Dispose();

        private sealed class TensorSet : IDisposable
        {
            public TensorSet(torch.Tensor[] tensors) => Tensors = tensors;

            public torch.Tensor[] Tensors { get; }

            public void Dispose()
            {
                foreach (var t in Tensors) t.Dispose();
            }
        }
    }
}
