import GRDB
import RSearchQuery

/// bm25 for a query of many alternatives (`A OR B OR …`, each one phrase),
/// computed one alternative at a time and summed per row, so that the cost
/// grows with the terms' matches rather than with terms × matches.
///
/// FTS5 evaluates an OR of N phrases by advancing all N doclists for every
/// row it returns, and `bm25()` loops over all N phrases for every row,
/// counting instances of each: 65 terms took 6.7 s and 800 took 55 s on the
/// 150 MB corpus (issue 18), where one phrase's pass (`OnePassRanking`,
/// `CharacterRanking`) visits only the rows that hold it.
///
/// The sum is bm25's to the last bit. `fts5_aux.c` computes, for a row,
/// `score = 0; for each phrase i: score += idf[i] * tf(i)`, then `-score`;
/// a phrase absent from the row adds `idf[i] * 0 = +0.0`, which changes
/// nothing, and one phrase's pass returns `-1 * (0 + idf[i] * tf(i))`, the
/// negation of exactly that addend. Adding the addends of the phrases a row
/// holds, in the order of the phrases, repeats SQLite's additions in
/// SQLite's order. `RankingTests` compares the two.
enum AlternativeRanking {
    /// Above this many alternatives a query is ranked here: every OR of
    /// phrases, since one pass per term was faster even for two (`经济 OR
    /// 发展` 30.4 → 25.8 ms whole process, 10 terms 31.3 → 20.7, hyperfine on
    /// the 150 MB corpus) and answers the same bytes.
    static let threshold = 1

    /// Every row matching one of `alternatives` and lying within the
    /// sections the passes were given, counted once, with its summed score
    /// (lower is better); `rank` ranks one alternative over every row.
    static func rank(_ alternatives: [CompiledMatch],
                     each rank: (CompiledMatch) throws -> (total: Int, best: [(id: Int64, score: Double)]))
        rethrows -> (total: Int, best: [(id: Int64, score: Double)])
    {
        var sums: [Int64: Double] = [:]
        for alternative in alternatives {
            for row in try rank(alternative).best {
                sums[row.id, default: 0.0] += -row.score
            }
        }
        return (sums.count, sums.map { (id: $0.key, score: -1.0 * $0.value) })
    }
}
