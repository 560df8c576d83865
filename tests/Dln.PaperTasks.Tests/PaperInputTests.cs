namespace DeepLanguageNetworks.Paper.Tests;

/// <summary>The paper's inputs as the network sees them: their targets name classes, and the options block strips cleanly.</summary>
public class PaperInputTests
{
    [Fact]
    public void Targets_of_every_paper_split_normalise_to_a_class_label()
    {
        foreach (var task in PaperTasks.All)
        {
            var dataset = PaperDatasets.Load(task.Id, TestData.DatasetsRoot, new PaperDatasetOptions { MaxTrain = 20, MaxDev = 20, MaxTest = 20 });
            var labels = task.Classes.Select(c => c.Label).ToHashSet();
            Assert.All(dataset.Train.Concat(dataset.Dev).Concat(dataset.Test), e => Assert.Contains(AnswerNormalizer.Normalize(e.Target), labels));
        }
    }

    [Fact]
    public void Strip_on_formatted_paper_inputs_keeps_the_question_and_sentence()
    {
        var formatted = PaperTasks.Disaster.FormatInput("Forest fire near La Ronge\n");
        Assert.Equal(PaperTasks.Disaster.TaskQuestion + " Forest fire near La Ronge", OptionsBlock.Strip(formatted));

        var navigate = BbhLoader.Load(TestData.Bbh("navigate"))[0];
        var stripped = OptionsBlock.Strip(navigate.Input);
        Assert.DoesNotContain("Options:", stripped);
        Assert.EndsWith("Take 3 steps right.", stripped);
    }
}
