-- The grade of a tip on the 4×4 scale of European police, and its handling note.
--
-- source_reliability: A reliable, B usually reliable, C not usually reliable, X cannot be
-- judged. information_validity: 1 known to be true, 2 known personally to the source, 3 not
-- known personally to the source but corroborated, 4 cannot be judged. Both are NULL on a tip
-- not graded (every tip recorded before this migration, and those graded later), and a tip
-- is graded by both codes or by none. handling_note says how the tip may be used or passed
-- on; '' when nothing is said.

-- +goose Up
ALTER TABLE tips
    ADD COLUMN source_reliability TEXT
        CONSTRAINT tips_source_reliability_check CHECK (source_reliability IN ('A', 'B', 'C', 'X')),
    ADD COLUMN information_validity TEXT
        CONSTRAINT tips_information_validity_check CHECK (information_validity IN ('1', '2', '3', '4')),
    ADD COLUMN handling_note TEXT NOT NULL DEFAULT ''
        CONSTRAINT tips_handling_note_check CHECK (length(handling_note) <= 2000),
    ADD CONSTRAINT tips_graded_by_both CHECK ((source_reliability IS NULL) = (information_validity IS NULL));

-- +goose Down
ALTER TABLE tips
    DROP CONSTRAINT tips_graded_by_both,
    DROP COLUMN handling_note,
    DROP COLUMN information_validity,
    DROP COLUMN source_reliability;
