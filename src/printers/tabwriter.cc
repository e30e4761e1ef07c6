// Port of github.com/liggitt/tabwriter (Go's text/tabwriter at cf2c2ea8
// plus RememberWidths), vendored by kubectl. HTML filtering and Escape
// segments are not ported: kubectl does not enable them.
#include "kubesim/printers/tabwriter.h"

#include <string>

namespace kubesim::printers {

TabWriter::TabWriter(const Options& options) : options_(options) {
  if (options_.padchar == '\t')
    options_.align_right = false;  // tab padding enforces left-alignment
  Reset();
}

void TabWriter::Reset() {
  buf_.clear();
  pos_ = 0;
  cell_ = Cell();
  lines_.clear();
  widths_.clear();
  AddLine();
}

void TabWriter::AddLine() { lines_.emplace_back(); }

int TabWriter::TerminateCell(bool htab) {
  cell_.htab = htab;
  lines_.back().push_back(cell_);
  cell_ = Cell();
  return static_cast<int>(lines_.back().size());
}

// utf8.RuneCount of the new text: every byte that is not a continuation
// byte starts a rune (invalid bytes count one each, as in Go).
void TabWriter::UpdateWidth() {
  for (size_t i = pos_; i < buf_.size(); ++i) {
    if ((static_cast<unsigned char>(buf_[i]) & 0xC0) != 0x80) ++cell_.width;
  }
  pos_ = buf_.size();
}

void TabWriter::WritePadding(int textw, int cellw, bool use_tabs) {
  if (options_.padchar == '\t' || use_tabs) {
    // padding is done with tabs
    if (options_.tabwidth == 0) return;  // tabs have no width - can't do any padding
    // make cellw the smallest multiple of tabwidth
    cellw = (cellw + options_.tabwidth - 1) / options_.tabwidth * options_.tabwidth;
    int n = cellw - textw;  // amount of padding
    output_.append(static_cast<size_t>((n + options_.tabwidth - 1) / options_.tabwidth), '\t');
    return;
  }
  // padding is done with non-tab characters
  if (cellw > textw) output_.append(static_cast<size_t>(cellw - textw), options_.padchar);
}

size_t TabWriter::WriteLines(size_t pos0, size_t line0, size_t line1) {
  size_t pos = pos0;
  for (size_t i = line0; i < line1; ++i) {
    const std::vector<Cell>& line = lines_[i];
    // if TabIndent is set, use tabs to pad leading empty cells
    bool use_tabs = options_.tab_indent;
    for (size_t j = 0; j < line.size(); ++j) {
      const Cell& c = line[j];
      if (j > 0 && options_.debug) output_.push_back('|');  // indicate column break
      if (c.size == 0) {
        // empty cell
        if (j < widths_.size()) WritePadding(c.width, widths_[j], use_tabs);
      } else {
        // non-empty cell
        use_tabs = false;
        if (!options_.align_right) {
          output_.append(buf_, pos, c.size);
          pos += c.size;
          if (j < widths_.size()) WritePadding(c.width, widths_[j], false);
        } else {
          if (j < widths_.size()) WritePadding(c.width, widths_[j], false);
          output_.append(buf_, pos, c.size);
          pos += c.size;
        }
      }
    }
    if (i + 1 == lines_.size()) {
      // last buffered line - we don't have a newline, so just write any
      // outstanding buffered data
      output_.append(buf_, pos, cell_.size);
      pos += cell_.size;
    } else {
      // not the last line - write newline
      output_.push_back('\n');
    }
  }
  return pos;
}

// Formats the text between line0 and line1 (excluding line1); pos0 is the
// buffer position corresponding to the beginning of line0.
size_t TabWriter::Format(size_t pos0, size_t line0, size_t line1) {
  size_t pos = pos0;
  size_t column = widths_.size();
  for (size_t self = line0; self < line1; ++self) {
    const std::vector<Cell>* line = &lines_[self];
    if (column + 1 >= line->size()) continue;
    // cell exists in this column => this line has more cells than the
    // previous line (the last cell per line is ignored because cells are
    // tab-terminated)

    // print unprinted lines until beginning of block
    pos = WriteLines(pos, line0, self);
    line0 = self;

    // column block begin
    int width = options_.minwidth;  // minimal column width
    bool discardable = true;        // true if all cells in this column are empty and "soft"
    for (; self < line1; ++self) {
      line = &lines_[self];
      if (column + 1 >= line->size()) break;
      // cell exists in this column
      const Cell& c = (*line)[column];
      // update width
      int w = c.width + options_.padding;
      if (w > width) width = w;
      // update discardable
      if (c.width > 0 || c.htab) discardable = false;
    }
    // column block end

    // discard empty columns if necessary
    if (discardable && options_.discard_empty_columns) width = 0;

    if (options_.remember_widths) {
      if (maxwidths_.size() < widths_.size()) {
        maxwidths_.insert(maxwidths_.end(), widths_.begin() + static_cast<long>(maxwidths_.size()),
                          widths_.end());
      }
      if (maxwidths_.size() == widths_.size()) {
        maxwidths_.push_back(width);
      } else if (maxwidths_[widths_.size()] > width) {
        width = maxwidths_[widths_.size()];
      } else if (maxwidths_[widths_.size()] < width) {
        maxwidths_[widths_.size()] = width;
      }
    }

    // format and print all columns to the right of this column (we know the
    // widths of this column and all columns to the left)
    widths_.push_back(width);  // push width
    pos = Format(pos, line0, self);
    widths_.pop_back();  // pop width
    line0 = self;
    // The loop's increment skips line `self`, which has no cell in this
    // column and would be skipped anyway.
  }
  // print unprinted lines until end
  return WriteLines(pos, line0, line1);
}

void TabWriter::Flush() {
  // add current cell if not empty
  if (cell_.size > 0) TerminateCell(false);
  // format contents of buffer
  Format(0, 0, lines_.size());
  Reset();
}

void TabWriter::Write(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\t' || ch == '\v' || ch == '\n' || ch == '\f') {
      // end of cell
      buf_.append(text.substr(n, i - n));
      cell_.size += i - n;
      UpdateWidth();
      n = i + 1;  // ch consumed
      int ncells = TerminateCell(ch == '\t');
      if (ch == '\n' || ch == '\f') {
        // terminate line
        AddLine();
        if (ch == '\f' || ncells == 1) {
          // A '\f' always forces a flush. Otherwise, if the previous line
          // has only one cell which does not have an impact on the
          // formatting of the following lines (the last cell per line is
          // ignored by format()), thus we can flush the Writer contents.
          Flush();
          if (ch == '\f' && options_.debug) output_.append("---\n");  // indicate section break
        }
      }
    }
  }
  // append leftover text
  buf_.append(text.substr(n));
  cell_.size += text.size() - n;
}

std::string TabWriter::TakeOutput() {
  std::string out;
  out.swap(output_);
  return out;
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  TabWriter w;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line.push_back('\t');
      line += row[i];
    }
    line.push_back('\n');
    w.Write(line);
  }
  w.Flush();
  return w.TakeOutput();
}

}  // namespace kubesim::printers
