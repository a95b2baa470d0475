using ReproKit.Notebooks.Export;

namespace ReproKit.Tests.Notebooks;

public sealed class NotebookRunnerTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void CheckExecuted_NamesFirstFailingCell()
    {
        string executed = NotebookFiles.Write(folder, "03-training.ipynb",
            NotebookFiles.Markdown("# Training"),
            NotebookFiles.Code("var x = 1;", NotebookFiles.Stream("ok\n")),
            NotebookFiles.Code("\n   \nvar run = RunStore.TrainOrReuse(runs, profile, heads);\nrun.Folder", NotebookFiles.Error("IOException", "disk full\nat RunStore.TrainOrReuse")),
            NotebookFiles.Code("later();", NotebookFiles.Error("Exception", "second failure")));

        var error = Assert.Throws<NotebookFailedException>(() => NotebookRunner.CheckExecuted("03-training", executed, exitCode: 1));

        Assert.Contains("03-training", error.Message);
        Assert.Contains("cell 3", error.Message);
        Assert.Contains("var run = RunStore.TrainOrReuse(runs, profile, heads);", error.Message);
        Assert.Contains("disk full", error.Message);
        Assert.DoesNotContain("at RunStore.TrainOrReuse", error.Message);
        Assert.DoesNotContain("second failure", error.Message);
    }

    [Fact]
    public void CheckExecuted_CleanNotebookPasses()
    {
        string executed = NotebookFiles.Write(folder, "01-setup.ipynb",
            NotebookFiles.Markdown("# Setup"),
            NotebookFiles.Code("1 + 1", NotebookFiles.ExecuteResult(("text/plain", "2"))));

        Exception? error = Record.Exception(() => NotebookRunner.CheckExecuted("01-setup", executed, exitCode: 0));

        Assert.Null(error);
    }

    [Fact]
    public void CheckExecuted_NonZeroExitCodeRejected()
    {
        string executed = NotebookFiles.Write(folder, "01-setup.ipynb",
            NotebookFiles.Code("1 + 1", NotebookFiles.ExecuteResult(("text/plain", "2"))));
        string log = folder.Combine("01-setup.log");

        var error = Assert.Throws<NotebookFailedException>(() => NotebookRunner.CheckExecuted("01-setup", executed, exitCode: 2, log));

        Assert.Contains("01-setup", error.Message);
        Assert.Contains("code 2", error.Message);
        Assert.Contains(log, error.Message);
    }

    [Fact]
    public void CheckExecuted_MissingNotebookRejected()
    {
        string executed = folder.Combine("02-data.ipynb");

        var error = Assert.Throws<NotebookFailedException>(() => NotebookRunner.CheckExecuted("02-data", executed, exitCode: 0));

        Assert.Contains("02-data", error.Message);
        Assert.Contains("no executed notebook", error.Message);
    }

    [Fact]
    public void CheckExecuted_TruncatedNotebookNamesNotebook()
    {
        string executed = folder.Combine("04-heads.ipynb");
        File.WriteAllText(executed, """{ "cells": [ { "cell_type": "code", """);

        var error = Assert.Throws<NotebookFailedException>(() => NotebookRunner.CheckExecuted("04-heads", executed, exitCode: 0));

        Assert.Contains("04-heads", error.Message);
    }

    [Fact]
    public void FindNotebooks_OrdersNumberedNotebooks()
    {
        foreach (string name in new[] { "10-report.ipynb", "02-data.ipynb", "README.ipynb", "01-setup.ipynb", "scratch.ipynb", "03-notes.md" })
        {
            File.WriteAllText(folder.Combine(name), "{}");
        }

        var notebooks = NotebookRunner.FindNotebooks(folder.FullPath);

        Assert.Equal(["01-setup.ipynb", "02-data.ipynb", "10-report.ipynb"], notebooks.Select(Path.GetFileName));
        Assert.All(notebooks, path => Assert.Equal(folder.FullPath, Path.GetDirectoryName(path)));
    }

    [Fact]
    public void FindNotebooks_MissingFolderRejected()
    {
        string missing = folder.Combine("missing");

        var error = Assert.Throws<DirectoryNotFoundException>(() => NotebookRunner.FindNotebooks(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void FindNotebooks_NoNumberedNotebooksRejected()
    {
        File.WriteAllText(folder.Combine("scratch.ipynb"), "{}");

        var error = Assert.Throws<FileNotFoundException>(() => NotebookRunner.FindNotebooks(folder.FullPath));

        Assert.Contains(folder.FullPath, error.Message);
    }
}
