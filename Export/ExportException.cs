using System;

namespace CnnDsl.Export;

/// <summary>A model that an exporter cannot write: a layer kind or merge it does not know (so
/// that a new layer of the language shows up as a failing export test, never as a silent
/// default), a configuration the target engine has no operator for, or weights that do not fit
/// the model. The message names the layer, its kind and its path.</summary>
public sealed class ExportException : Exception
{
    public ExportException(string message)
        : base(message)
    {
    }
}
