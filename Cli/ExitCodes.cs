namespace CnnDsl.Cli;

/// <summary>The process exit codes of <c>cnn</c>, documented in docs/cli.md.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked; for <c>check</c>, no file has an error (warnings allowed).</summary>
    public const int Success = 0;

    /// <summary>A .cnn file has at least one error diagnostic.</summary>
    public const int SourceErrors = 1;

    /// <summary>The command line is wrong: unknown command or option, bad value, unknown model.</summary>
    public const int Usage = 2;

    /// <summary>A file could not be read: it does not exist, or reading it failed.</summary>
    public const int FileError = 3;

    /// <summary>A bug in cnn itself; the message says what failed.</summary>
    public const int InternalError = 4;

    /// <summary><c>cnn verify</c>: a model built at run time differs from the static analysis.</summary>
    public const int VerificationFailed = 5;

    /// <summary>Something cnn runs could not: Graphviz's <c>dot</c> failed, or TorchSharp's native
    /// library could not be loaded.</summary>
    public const int ExternalFailure = 6;
}
