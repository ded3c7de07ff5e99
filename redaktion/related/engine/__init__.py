"""The "Mehr zum Thema" engine: German content similarity, smoothed by each article's
neighbourhood, combined with shared names, shared topics, Ressort and recency.

How an article is scored against another
----------------------------------------
1. **Terms** (``german.analyse``): Snowball stems of the content words and character 4-grams of
   the words, umlauts folded. Headline, kicker and lead count twice (they say what the
   article is about); the body once.
2. **Weights**: BM25 term frequency (k1 = 1.2, b = 0.75, the textbook values) times the
   smoothed IDF ``ln((1 + N) / (1 + df)) + 1``. Terms seen in fewer than two articles are
   dropped: they cannot relate two articles. Stems and n-grams are normalised as two blocks
   and joined with 70 % / 30 % of the squared norm, so a compound (``Gewerkschaftsbund``)
   still meets its parts (``Gewerkschaft``) while whole words lead. Each vector keeps its
   ``VECTOR_SIZE`` heaviest terms (that is what the database stores).
3. **Profile**: an article's own vector plus the mean vector of its ``NEIGHBOURHOOD`` nearest
   articles (document expansion, Kurland & Lee 2004; Tao et al. 2006), normalised and cut to
   ``PROFILE_SIZE`` terms. The neighbours are found twice: first by the plain vectors, then
   by the profiles of the first pass. This lifts articles that share the *topic* over
   articles that only share a rare name, which is what a reader of "Mehr zum Thema" wants.
4. **Content similarity** = cosine of the two profiles (0…1).
5. **Similarity** = ``CONTENT_SHARE`` × content + ``NAME_SHARE`` × shared names (cosine of
   the two sets of names: people, places, companies, found as German text marks them,
   ``names``) + ``TOPIC_SHARE`` × topic overlap (cosine of the two topic sets) +
   ``RESSORT_SHARE`` × same Ressort (0 or 1). An article's list is the best by similarity
   among its ``POOL`` nearest by content (the batch) or among its candidates (one article).
6. **Score shown to readers** = similarity × ((1 − w) + w × 2^(−Δ / ``HALF_LIFE_DAYS``)),
   where Δ is the number of days between the two publications and ``w`` the site's
   ``recency_weight`` (0 = similarity only, 1 = a 30-day-old neighbour counts half).

Parameters were fixed by principle or on a different corpus, never on the labels of the file
that ``redaktion related eval`` measures: BM25's k1/b are the textbook defaults; the n-gram
length, the n-gram share and ``min_df`` were chosen by split-half self-retrieval on the
German Wikinews texts (query: first half of an article, target: its second half; no labels);
the neighbourhood is the stored list length (20) with the expansion weighted like the
article itself (β = 1); the vector sizes are storage budgets (see ``docs/benchmarks.md``).
``NAME_SHARE`` was chosen on the tuning part of ``10kgnad-dev.csv`` (``redaktion related
eval`` chooses it again in every run and reports the check part, which it never looks at).
Topic, Ressort and time shares are set by judgement: the evaluation file has none of them.

At scale
--------
A whole corpus is analysed word by word, not document by document: every distinct word
is analysed once (``Lexicon``) and the term counts of all articles are one sparse product
(documents × words) · (words × terms). Neighbours are found exactly (all pairs) up to
``EXACT_LIMIT`` articles; above, through an inverted index of each row's heaviest terms,
each term's list cut to its heaviest entries, and an exact re-scoring of the best
candidates (``nearest_by_postings``), which is linear in the number of articles and is
what the publish task does for one article. The neighbourhoods of the smoothing rounds are
picked by the index's partial scores; only the final neighbours get exact cosines. On
``10kgnad-dev.csv`` this path scores precision@5 0.685 against 0.691 for the exact one (see
``docs/benchmarks.md``). Both steps run in forked worker processes, one per core.

Memory: the corpus is held in NumPy arrays only (CSR matrices with 32-bit indices and
float32 weights; at 100,000 articles 0.2 GB of vectors and 0.4 GB of profiles), which the
forked workers read without writing, so their pages stay shared with the parent; the
parent's Python objects are frozen out of the garbage collector while workers run, so a
collection in a worker does not copy them either. Every step whose result is as large as
the corpus works through it in chunks of rows (``CORPUS_CHUNK`` articles counted and
weighed at a time; 250 rows per expansion and search chunk in the workers) and copies each
chunk into the result as it arrives (``chunks.stack_blocks``), so no step holds its result
twice, and a round's profiles are freed before the next round builds its own. An expansion
chunk takes only the vectors it sums out of the corpus, since SciPy converts a whole operand
to the product's float64. Chunk sizes change no result: every row is computed on its own.

The modules
-----------
``terms`` (documents, their terms and weights), ``names`` (names and the common words
learned from the corpus's case statistics), ``vectors`` (sparse vectors and matrix rows),
``profiles`` (neighbourhood expansion), ``search`` (nearest neighbours, exact and through the
inverted index), ``chunks`` (chunked and forked work over a whole corpus), ``corpus`` (the
whole corpus at once) and ``scoring`` (names, topics, Ressort and time). Each holds its own
parameters; import them from there.

The engine is pure Python + NumPy/SciPy: it knows nothing about pages or the database.
``redaktion.related.services`` feeds it articles and stores what it computes; ``redaktion
related eval`` feeds it CSV texts.
"""
