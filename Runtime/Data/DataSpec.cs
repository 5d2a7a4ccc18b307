using System;
using System.Linq;
using System.Text.Json;

namespace CnnDsl.Runtime.Data
{
    /// <summary>How a model's training images were prepared, kept in its checkpoint so that
    /// <c>cnn test</c> prepares test images the same way: the kind of data, the preprocessing,
    /// the normalisation and (for the record) the augmentation.</summary>
    /// <param name="Format">"idx" (MNIST IDX digits, fitted by <see cref="DigitTensors"/>) or "folder" (an image folder).</param>
    public sealed record DataSpec(string Format, ImagePreprocessing Preprocessing, Normalization Normalization, Augmentation Augmentation)
    {
        public const string Idx = "idx";
        public const string Folder = "folder";

        /// <summary>MNIST IDX digits: fitted to the input as <see cref="DigitTensors"/> does, MNIST's normalisation.</summary>
        public static DataSpec Digits { get; } = new(Idx, new ImagePreprocessing(), Normalization.Mnist, new Augmentation());

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject("data");
            w.WriteString("format", Format);
            if (Preprocessing.Resize is { } resize) w.WriteNumber("resize", resize);
            w.WriteNumber("pad", Preprocessing.Pad);
            WriteArray(w, "mean", Normalization.Mean);
            WriteArray(w, "std", Normalization.Std);
            var a = Augmentation;
            w.WriteStartObject("augmentation");
            w.WriteBoolean("randomResizedCrop", a.RandomResizedCrop);
            w.WriteNumber("cropScaleMin", a.CropScaleMin);
            w.WriteNumber("horizontalFlip", a.HorizontalFlip);
            w.WriteNumber("verticalFlip", a.VerticalFlip);
            w.WriteNumber("rotation", a.Rotation);
            w.WriteNumber("brightness", a.Brightness);
            w.WriteNumber("contrast", a.Contrast);
            w.WriteNumber("saturation", a.Saturation);
            w.WriteNumber("hue", a.Hue);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        public static DataSpec Read(JsonElement e)
        {
            var a = e.GetProperty("augmentation");
            return new DataSpec(
                e.GetProperty("format").GetString() ?? Idx,
                new ImagePreprocessing(e.TryGetProperty("resize", out var r) ? r.GetInt32() : null, e.GetProperty("pad").GetInt32()),
                new Normalization(ReadArray(e.GetProperty("mean")), ReadArray(e.GetProperty("std"))),
                new Augmentation
                {
                    RandomResizedCrop = a.GetProperty("randomResizedCrop").GetBoolean(),
                    CropScaleMin = a.GetProperty("cropScaleMin").GetDouble(),
                    HorizontalFlip = a.GetProperty("horizontalFlip").GetDouble(),
                    VerticalFlip = a.GetProperty("verticalFlip").GetDouble(),
                    Rotation = a.GetProperty("rotation").GetDouble(),
                    Brightness = a.GetProperty("brightness").GetDouble(),
                    Contrast = a.GetProperty("contrast").GetDouble(),
                    Saturation = a.GetProperty("saturation").GetDouble(),
                    Hue = a.GetProperty("hue").GetDouble(),
                });
        }

        private static void WriteArray(Utf8JsonWriter w, string name, double[] values)
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteNumberValue(v);
            w.WriteEndArray();
        }

        private static double[] ReadArray(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    }
}
