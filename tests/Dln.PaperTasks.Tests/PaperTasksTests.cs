namespace DeepLanguageNetworks.Paper.Tests;

public class PaperTasksTests
{
    [Fact]
    public void Registry_holds_the_nine_paper_tasks_in_order()
    {
        Assert.Equal(
            ["hyperbaton", "navigate", "date_understanding", "logical_deduction_seven_objects", "mpqa", "trec", "subj", "disaster", "airline"],
            PaperTasks.All.Select(t => t.Id));
        Assert.Equal(PaperTasks.All.Select(t => t.Id), PaperTasks.Ids);
        Assert.All(PaperTasks.All, t => Assert.False(string.IsNullOrWhiteSpace(t.InitialInstruction)));
        Assert.All(PaperTasks.All, t => Assert.True(t.IsClassification));
    }

    [Fact]
    public void Get_finds_tasks_case_insensitively_and_lists_known_ids_for_unknown_ones()
    {
        Assert.Same(PaperTasks.Trec, PaperTasks.Get("trec"));
        Assert.Same(PaperTasks.LogicalDeductionSevenObjects, PaperTasks.Get("Logical_Deduction_Seven_Objects"));
        Assert.False(PaperTasks.TryGet("gsm8k", out _));

        var error = Assert.Throws<ArgumentException>(() => PaperTasks.Get("navigation"));
        Assert.Contains("\"navigation\"", error.Message);
        Assert.All(PaperTasks.Ids, id => Assert.Contains(id, error.Message));
    }

    [Theory]
    [InlineData("hyperbaton", DatasetFamily.Bbh, 2, true)]
    [InlineData("navigate", DatasetFamily.Bbh, 2, false)]
    [InlineData("date_understanding", DatasetFamily.Bbh, 6, true)]
    [InlineData("logical_deduction_seven_objects", DatasetFamily.Bbh, 7, true)]
    [InlineData("mpqa", DatasetFamily.OrderedPrompt, 2, false)]
    [InlineData("trec", DatasetFamily.OrderedPrompt, 6, false)]
    [InlineData("subj", DatasetFamily.OrderedPrompt, 2, false)]
    [InlineData("disaster", DatasetFamily.Leopard, 2, false)]
    [InlineData("airline", DatasetFamily.Leopard, 3, false)]
    public void Tasks_have_their_family_classes_and_shuffle_flag(string id, DatasetFamily family, int classes, bool shuffle)
    {
        var task = PaperTasks.Get(id);
        Assert.Equal(family, task.Family);
        Assert.Equal(classes, task.Classes.Count);
        Assert.Equal(shuffle, task.ShuffleOptions);
        Assert.Equal(family == DatasetFamily.Leopard, task.TaskQuestion is not null);
        Assert.Equal(family == DatasetFamily.Bbh, task.LabelMapping.Count == 0);
    }

    [Fact]
    public void Classes_carry_the_paper_verbalizers()
    {
        Assert.Equal(["a", "A"], PaperTasks.Hyperbaton.Classes[0].Verbalizers);
        Assert.Equal("g", PaperTasks.LogicalDeductionSevenObjects.Classes[6].Label);
        Assert.Equal(["g", "G"], PaperTasks.LogicalDeductionSevenObjects.Classes[6].Verbalizers);
        Assert.Equal(["yes", "Yes"], PaperTasks.Navigate.Classes[0].Verbalizers);
        Assert.Equal(["neutral", "Neutral"], PaperTasks.Airline.Classes[2].Verbalizers);
        Assert.Equal(["description", "entity", "expression", "human", "location", "number"], PaperTasks.Trec.Classes.Select(c => c.Label));
    }

    [Fact]
    public void Label_mapping_and_class_lookup()
    {
        Assert.True(PaperTasks.Mpqa.TryMapLabel("0", out var negative));
        Assert.Equal("negative", negative);
        Assert.True(PaperTasks.Disaster.TryMapLabel("Not Relevant", out var no));
        Assert.Equal("no", no);
        Assert.False(PaperTasks.Trec.TryMapLabel("7", out _));
        Assert.False(PaperTasks.Disaster.TryMapLabel("relevant", out _));

        Assert.Equal("c", PaperTasks.DateUnderstanding.FindClass("(C)")?.Label);
        Assert.Equal("yes", PaperTasks.Navigate.FindClass("Yes.")?.Label);
        Assert.Equal("b", PaperTasks.Hyperbaton.FindClass("option B")?.Label);
        Assert.Null(PaperTasks.Hyperbaton.FindClass("(C)"));
        Assert.Null(PaperTasks.Navigate.FindClass("maybe"));
    }

    [Fact]
    public void FormatInput_lays_out_options_in_mapping_order()
    {
        Assert.Equal("great stuff\nOptions:\n- negative\n- positive", PaperTasks.Mpqa.FormatInput("great stuff"));
        var disaster = PaperTasks.Disaster.FormatInput("Forest fire near La Ronge");
        Assert.Equal(PaperTasks.Disaster.TaskQuestion + " Forest fire near La Ronge\nOptions:\n- no\n- yes", disaster);
        Assert.Equal("As is.\nOptions:\n(A) x", PaperTasks.Hyperbaton.FormatInput("As is.\nOptions:\n(A) x"));
    }

    [Fact]
    public void Task_definitions_are_validated()
    {
        OutputClass[] yesNo = [new("yes", ["yes"]), new("no", ["no"])];
        Assert.Throws<ArgumentException>(() => new TaskDefinition("t", DatasetFamily.OrderedPrompt, "d", "i", yesNo));
        var badMapping = Assert.Throws<ArgumentException>(() => new TaskDefinition(
            "t", DatasetFamily.OrderedPrompt, "d", "i", yesNo, [new("0", "maybe")]));
        Assert.Contains("maybe", badMapping.Message);
        Assert.Throws<ArgumentException>(() => new TaskDefinition(
            "t", DatasetFamily.Bbh, "d", "i", [new("yes", ["yes"]), new("Yes", ["Yes"])]));
        Assert.Throws<ArgumentException>(() => new TaskDefinition(
            "t", DatasetFamily.OrderedPrompt, "d", "i", yesNo, [new("0", "yes"), new("0", "no")]));
        Assert.Throws<ArgumentException>(() => new OutputClass("x", []));
        Assert.Throws<ArgumentException>(() => new OutputClass(" ", ["x"]));
    }
}
