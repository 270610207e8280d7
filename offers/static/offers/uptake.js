// The CPD lead's uptake chart: confirmed places against capacity per session.
// Data comes from a <script type="application/json"> block (json_script), never inline code.
document.addEventListener("DOMContentLoaded", function () {
  const source = document.getElementById("uptake-data");
  const canvas = document.getElementById("uptake-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Confirmed", data: data.confirmed, backgroundColor: "#2e5f8a" },
        { label: "Capacity", data: data.capacity, backgroundColor: "#c9d6e3" },
        { label: "Waiting list", data: data.waiting, backgroundColor: "#b85c00" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: data.labels.length > 8 ? "y" : "x",
      scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
    },
  });
});
