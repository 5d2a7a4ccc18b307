using System.Collections.Generic;
using TorchSharp;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Labelled images as batches the model can take: float32 images [B, C, H, W],
    /// normalised, and int64 labels [B]. The caller disposes each batch's tensors.</summary>
    public interface IBatchSource
    {
        /// <summary>How many samples.</summary>
        long Count { get; }

        /// <summary>Samples per batch when evaluating (bounds the memory of a pass without gradients).</summary>
        int EvaluationBatchSize { get; }

        /// <summary>The samples in <paramref name="order"/> (indices into the source), in batches
        /// of <paramref name="batchSize"/> (the last may be smaller).</summary>
        /// <param name="order">Sample indices.</param>
        /// <param name="batchSize">Samples per batch.</param>
        /// <param name="augmentationSeed">Seeds the random transforms of this pass (ignored by a
        /// source without any); each sample's are drawn from (seed, sample index).</param>
        IEnumerable<(torch.Tensor Images, torch.Tensor Labels)> Batches(long[] order, int batchSize, ulong augmentationSeed);
    }

    /// <summary>Images already in memory as one normalised tensor (the IDX digits).</summary>
    public sealed class TensorBatches : IBatchSource
    {
        private readonly torch.Tensor images;
        private readonly torch.Tensor labels;

        public TensorBatches(torch.Tensor images, torch.Tensor labels)
        {
            this.images = images;
            this.labels = labels;
        }

        public long Count => images.shape[0];

        public int EvaluationBatchSize => 500;

        public IEnumerable<(torch.Tensor Images, torch.Tensor Labels)> Batches(long[] order, int batchSize, ulong augmentationSeed)
        {
            for (long start = 0; start < order.LongLength; start += batchSize)
            {
                var length = (int)System.Math.Min(batchSize, order.LongLength - start);
                var slice = new long[length];
                System.Array.Copy(order, start, slice, 0, length);
                using var index = torch.tensor(slice);
                yield return (images.index_select(0, index), labels.index_select(0, index));
            }
        }
    }
}
