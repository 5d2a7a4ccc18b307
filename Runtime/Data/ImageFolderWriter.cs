using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Writes grey-scale images as an image folder: <c>FOLDER/LABEL/NUMBER.png</c>, the
    /// number being the image's position in the set (zero-padded to at least five digits), so that
    /// <see cref="ImageFolder"/>'s order (by file name, then class) reads them back in the set's
    /// order.</summary>
    public static class ImageFolderWriter
    {
        private static readonly PngEncoder Encoder = new()
        {
            ColorType = PngColorType.Grayscale,
            BitDepth = PngBitDepth.Bit8,
            CompressionLevel = PngCompressionLevel.DefaultCompression,
            // No time stamps or other chunks: the same images give the same bytes.
            ChunkFilter = PngChunkFilter.ExcludeAll,
        };

        /// <summary>Writes every image; class folders are named by the label (0, 1, ...).</summary>
        /// <remarks>Files are written in place, not atomically: <c>cnn data mnist</c> marks its
        /// manifest incomplete before and complete after, which is what tells a finished folder
        /// from one a killed run left.</remarks>
        public static void Write(string folder, LabeledImages set)
        {
            ArgumentNullException.ThrowIfNull(set);
            var digits = Math.Max(5, (set.Count - 1).ToString(CultureInfo.InvariantCulture).Length);
            for (var c = 0; c < set.Classes; c++) Directory.CreateDirectory(Path.Combine(folder, c.ToString(CultureInfo.InvariantCulture)));
            Parallel.For(0, set.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
            {
                var pixels = set.Pixels.AsSpan(i * set.PixelsPerImage, set.PixelsPerImage);
                using var image = Image.LoadPixelData<L8>(pixels, set.Columns, set.Rows);
                var name = i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0') + ".png";
                var path = Path.Combine(folder, set.Labels[i].ToString(CultureInfo.InvariantCulture), name);
                using var file = File.Create(path);
                image.SaveAsPng(file, Encoder);
            });
        }
    }
}
