using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TorchSharp;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// Batches of an <see cref="ImageDataset"/> made while the model trains: a producer thread
    /// assembles the next batches (decoding images not held in memory and applying each image's
    /// transforms on up to <c>workers</c> threads) into a bounded queue, <c>prefetch</c> batches
    /// ahead; the consumer turns each into tensors and normalises it.
    /// </summary>
    public sealed class ImageBatches : IBatchSource
    {
        private readonly ImageDataset data;
        private readonly int height;
        private readonly int width;
        private readonly Augmentation? augmentation;
        private readonly Normalization normalization;
        private readonly int workers;
        private readonly int prefetch;

        /// <param name="data">The images.</param>
        /// <param name="height">The model's input height.</param>
        /// <param name="width">The model's input width.</param>
        /// <param name="augmentation">Random transforms (training), or null (centre crop only).</param>
        /// <param name="normalization">Applied to every batch.</param>
        /// <param name="workers">Threads that transform images.</param>
        /// <param name="prefetch">Batches made ahead of the one in use (at least 1).</param>
        public ImageBatches(ImageDataset data, int height, int width, Augmentation? augmentation, Normalization normalization, int workers, int prefetch = 4)
        {
            this.data = data ?? throw new ArgumentNullException(nameof(data));
            this.height = height;
            this.width = width;
            this.augmentation = augmentation is { Any: true } ? augmentation : null;
            this.normalization = normalization;
            this.workers = Math.Max(1, workers);
            this.prefetch = Math.Max(1, prefetch);
        }

        public long Count => data.Count;

        /// <summary>Up to 500 images, and at most about 16 million values (111 RGB images of 224x224).</summary>
        public int EvaluationBatchSize => (int)Math.Clamp((1L << 24) / ((long)data.Channels * height * width), 1, 500);

        public IEnumerable<(torch.Tensor Images, torch.Tensor Labels)> Batches(long[] order, int batchSize, ulong augmentationSeed)
        {
            using var stop = new CancellationTokenSource();
            using var queue = new BlockingCollection<(byte[] Pixels, long[] Labels)>(prefetch);
            var producer = Task.Run(() =>
            {
                try
                {
                    for (long start = 0; start < order.LongLength; start += batchSize)
                    {
                        var length = (int)Math.Min(batchSize, order.LongLength - start);
                        queue.Add(Assemble(order, start, length, augmentationSeed), stop.Token);
                    }
                }
                finally
                {
                    queue.CompleteAdding();
                }
            }, stop.Token);

            try
            {
                foreach (var (pixels, labels) in queue.GetConsumingEnumerable())
                {
                    var images = torch.tensor(pixels, new long[] { labels.Length, data.Channels, height, width });
                    using (images)
                    {
                        yield return (normalization.FromBytes(images), torch.tensor(labels));
                    }
                }

                producer.GetAwaiter().GetResult();
            }
            finally
            {
                stop.Cancel();
                try
                {
                    producer.Wait();
                }
                catch (AggregateException)
                {
                    // Cancelled because the consumer stopped early; its own exception (if any) propagates.
                }
            }
        }

        /// <summary>One batch as bytes [B, C, H, W] and its labels.</summary>
        private (byte[] Pixels, long[] Labels) Assemble(long[] order, long start, int length, ulong seed)
        {
            var channels = data.Channels;
            var plane = height * width;
            var size = channels * plane;
            var pixels = new byte[(long)length * size];
            var labels = new long[length];
            Parallel.For(0, length, new ParallelOptions { MaxDegreeOfParallelism = workers }, b =>
            {
                var index = (int)order[start + b];
                labels[b] = data.Samples[index].Label;
                var random = augmentation is null ? null : new SplitMix64(SplitMix64.Mix(seed, (ulong)index));
                var image = SampleTransform.Apply(data.Image(index), height, width, augmentation, random);
                var source = image.Pixels;
                var offset = (long)b * size;
                if (channels == 1)
                {
                    Array.Copy(source, 0, pixels, offset, plane);
                    return;
                }

                // Interleaved pixels to channel planes.
                for (var p = 0; p < plane; p++)
                {
                    for (var c = 0; c < channels; c++) pixels[offset + (long)c * plane + p] = source[p * channels + c];
                }
            });
            return (pixels, labels);
        }
    }
}
