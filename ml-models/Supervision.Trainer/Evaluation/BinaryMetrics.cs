namespace Supervision.Trainer.Evaluation;

/// <summary>AUC, accuracy and F1 of the adverse class for scores where higher means more adverse.</summary>
public sealed record BinaryMetrics(int Items, int Adverse, double Auc, double Accuracy, double F1Adverse)
{
    /// <summary>
    /// Computes the metrics. AUC is the Mann-Whitney statistic with tied scores sharing their
    /// average rank, so a lexicon that scores most texts 0 is not flattered by the order of ties.
    /// </summary>
    public static BinaryMetrics Compute(IReadOnlyList<bool> isAdverse, IReadOnlyList<double> score, IReadOnlyList<bool> predictedAdverse)
    {
        var n = isAdverse.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => score[i]).ToArray();
        var ranks = new double[n];
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]])
            {
                j++;
            }

            var average = ((i + 1) + (j + 1)) / 2.0;
            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = average;
            }

            i = j + 1;
        }

        long positives = isAdverse.Count(a => a), negatives = n - positives;
        var rankSum = Enumerable.Range(0, n).Where(i => isAdverse[i]).Sum(i => ranks[i]);
        var auc = positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2.0)) / (positives * negatives);

        int truePositive = 0, falsePositive = 0, falseNegative = 0, correct = 0;
        for (var i = 0; i < n; i++)
        {
            if (predictedAdverse[i] == isAdverse[i])
            {
                correct++;
            }

            if (predictedAdverse[i] && isAdverse[i])
            {
                truePositive++;
            }
            else if (predictedAdverse[i])
            {
                falsePositive++;
            }
            else if (isAdverse[i])
            {
                falseNegative++;
            }
        }

        var f1 = truePositive == 0 ? 0 : 2.0 * truePositive / ((2.0 * truePositive) + falsePositive + falseNegative);
        return new BinaryMetrics(n, (int)positives, auc, n == 0 ? double.NaN : (double)correct / n, f1);
    }
}
