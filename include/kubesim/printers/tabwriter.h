// Elastic tabstops, as Go's text/tabwriter (via github.com/liggitt/tabwriter,
// which kubectl vendors) lays out kubectl's tables and describe output.
//
// Input is text whose cells are terminated by '\t' (or '\v'); lines end
// with '\n' (or '\f', which also flushes). Tab-terminated cells in
// contiguous lines form a column padded to the widest cell plus `padding`,
// and at least `minwidth`. The last cell of a line is not part of a column,
// so it is never padded: kubectl's rows therefore have no trailing spaces.
// Widths count runes, not bytes.
//
// Thread-safety: a TabWriter is not thread-safe; use one per output.
#ifndef KUBESIM_PRINTERS_TABWRITER_H_
#define KUBESIM_PRINTERS_TABWRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace kubesim::printers {

class TabWriter {
 public:
  struct Options {
    int minwidth = 6;  // minimal cell width including any padding
    int tabwidth = 4;  // width of a '\t' when padchar is '\t'
    int padding = 3;   // added to a cell's width
    char padchar = ' ';
    bool align_right = false;            // AlignRight
    bool discard_empty_columns = false;  // DiscardEmptyColumns
    bool tab_indent = false;             // TabIndent
    bool debug = false;                  // Debug: '|' between columns
    bool remember_widths = true;         // RememberWidths (liggitt fork)
  };

  // The defaults are kubectl's: cli-runtime/pkg/printers/tabwriter.go
  // GetNewTabWriter (minwidth 6, tabwidth 4, padding 3, ' ', RememberWidths).
  TabWriter() : TabWriter(Options()) {}
  explicit TabWriter(const Options& options);

  // Buffers `text`. A line consisting of a single cell flushes what came
  // before (nothing after it can change their layout), and so does '\f'.
  void Write(std::string_view text);
  // Lays out and emits everything buffered. With remember_widths, column
  // widths seen so far are kept for later flushes.
  void Flush();
  // The text emitted so far; cleared by TakeOutput().
  const std::string& output() const { return output_; }
  std::string TakeOutput();

  // The remembered per-column maximum widths (RememberWidths only).
  std::vector<int> RememberedWidths() const { return maxwidths_; }
  void SetRememberedWidths(std::vector<int> widths) { maxwidths_ = std::move(widths); }

 private:
  struct Cell {
    size_t size = 0;    // cell size in bytes
    int width = 0;      // cell width in runes
    bool htab = false;  // true if terminated by '\t'
  };

  void Reset();
  void AddLine();
  int TerminateCell(bool htab);
  void UpdateWidth();
  void WritePadding(int textw, int cellw, bool use_tabs);
  size_t WriteLines(size_t pos0, size_t line0, size_t line1);
  size_t Format(size_t pos0, size_t line0, size_t line1);

  Options options_;
  std::string buf_;  // collected text excluding tabs or line breaks
  size_t pos_ = 0;   // buffer position up to which cell.width is computed
  Cell cell_;        // current incomplete cell
  std::vector<std::vector<Cell>> lines_;
  std::vector<int> widths_;     // column widths in runes, used during formatting
  std::vector<int> maxwidths_;  // remembered maximum widths
  std::string output_;
};

// Lays out `rows` with kubectl's tabwriter settings: cells of a row joined
// by '\t', rows terminated by '\n', then flushed. The last cell of each row
// is not padded.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_TABWRITER_H_
