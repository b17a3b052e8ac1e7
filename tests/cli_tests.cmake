# CLI tests: run the `erg` binary as a user would and check exit status and output.
set(ERG_BIN $<TARGET_FILE:erg>)

add_test(NAME bad_configs COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_bad_configs.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_cli.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(bad_configs cli PROPERTIES LABELS "ci" TIMEOUT 300)
# Two nets at once on the SystemC platform (docs/systemc.md, "Concurrency").
add_test(NAME cli_concurrent COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_concurrent.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_concurrent PROPERTIES LABELS "ci;systemc" TIMEOUT 300)

# Trained Fashion-MNIST nets: the committed 1,000-image slice in `ci`, the whole test set in
# `full`; the expected counts are the exporter's own integer evaluation (export.txt).
foreach(net fmnist_bnn fmnist_int8)
  add_test(NAME accuracy_slice_${net}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} ${net} slice
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(accuracy_slice_${net} PROPERTIES LABELS "ci" TIMEOUT 600)
  add_test(NAME accuracy_full_${net}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} ${net} full
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(accuracy_full_${net} PROPERTIES LABELS "full" TIMEOUT 3600)
endforeach()

# QoS operating points of the int8 net (docs/amac.md): bit-exact golden runs with approximate
# multipliers give exactly the counts recorded in configs/nets/fmnist_int8/op_points.txt; one
# point on the slice in `ci`, every approximate point on the whole test set in `full`.
add_test(NAME accuracy_slice_fmnist_int8_op_eco
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_int8 slice op=eco
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(accuracy_slice_fmnist_int8_op_eco PROPERTIES LABELS "ci" TIMEOUT 600)
foreach(op light balanced eco aggressive)
  add_test(NAME accuracy_full_fmnist_int8_op_${op}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_int8 full op=${op}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(accuracy_full_fmnist_int8_op_${op} PROPERTIES LABELS "full" TIMEOUT 3600)
endforeach()

# The same points on the amac8 chip's C model (docs/amac-chip.md): the unit runs the
# approximate multipliers bit-exactly, so the counts are golden's; one point on the slice in
# `ci`, every point on the whole test set in `full`.
add_test(NAME accuracy_slice_fmnist_int8_amac8_op_aggressive
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_int8 slice
                 configs/chips/amac8.cfg op=aggressive
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(accuracy_slice_fmnist_int8_amac8_op_aggressive PROPERTIES LABELS "ci" TIMEOUT 600)
foreach(op exact light balanced eco aggressive)
  add_test(NAME accuracy_full_fmnist_int8_amac8_op_${op}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_int8 full
                   configs/chips/amac8.cfg op=${op}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(accuracy_full_fmnist_int8_amac8_op_${op} PROPERTIES LABELS "full" TIMEOUT 3600)
endforeach()

# The binary net on the BinarEye chip's C model gives exactly the golden count, with energy.
add_test(NAME accuracy_slice_fmnist_bnn_cmodel
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_bnn slice
                 configs/chips/binareye.cfg
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(accuracy_slice_fmnist_bnn_cmodel PROPERTIES LABELS "ci" TIMEOUT 600)
add_test(NAME accuracy_full_fmnist_bnn_cmodel
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_bnn full
                 configs/chips/binareye.cfg
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(accuracy_full_fmnist_bnn_cmodel PROPERTIES LABELS "full" TIMEOUT 3600)

# DESIGN.md's dependency rules (e.g. no model includes a golden kernel).
add_test(NAME dependency_rules COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_deps.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(dependency_rules PROPERTIES LABELS "ci")

# A Criterion binary that runs no test must fail under run_criterion.sh.
add_executable(zero_tests_probe ${CMAKE_CURRENT_SOURCE_DIR}/zero_tests_probe.c)
target_link_libraries(zero_tests_probe PRIVATE PkgConfig::CRITERION)
add_test(NAME zero_tests_fail
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/run_criterion.sh $<TARGET_FILE:zero_tests_probe>)
set_tests_properties(zero_tests_fail PROPERTIES LABELS "ci" WILL_FAIL TRUE)

# The analytic estimator against the cycle-level simulation: every shipped network within
# +-15 % on the platform that mirrors its chip (docs/estimate.md, "Consistency").
add_test(NAME estimate_consistency COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_estimate.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(estimate_consistency PROPERTIES LABELS "ci" TIMEOUT 300)

# erg sweep: 3 shards merged = the unsharded sweep, resume, Pareto front (docs/sweep.md).
add_test(NAME sweep_shards_resume COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_sweep.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(sweep_shards_resume PROPERTIES LABELS "ci" TIMEOUT 300)

# A chip whose AMAC unit carries a user multiplier (a product table): random int8 nets whose
# layers use it, C model against golden.
add_test(NAME verify_amac_user_table_cmodel
         COMMAND ${ERG_BIN} verify --chip tests/data/chips/amac8_mask4.cfg --random 20 --seed 3
                 --backend cmodel --quiet
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(verify_amac_user_table_cmodel PROPERTIES LABELS "ci" TIMEOUT 300)

# Lockstep RTL vs C model vs golden (issue 5): the F = 64 network and 50 random networks in
# `ci`, the F = 256 network and 500 random networks in `full`.
if(TARGET erg_rtl)
  add_test(NAME verify_f64
           COMMAND ${ERG_BIN} verify --chip configs/chips/binareye.cfg
                   --net configs/nets/binareye_cifar10_f64.cfg --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME verify_random_50
           COMMAND ${ERG_BIN} verify --chip configs/chips/binareye.cfg --random 50 --seed 1 --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(verify_f64 verify_random_50 PROPERTIES LABELS "ci" TIMEOUT 900)
  # Verification that bites: each deliberately broken RTL variant (the test-only build with
  # ERG_BNA_FAULTS, backend cosim:rtl-faultN) must fail `erg verify` (docs/verification.md).
  add_test(NAME verify_faults COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_faults.sh ${ERG_BIN}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(verify_faults PROPERTIES LABELS "ci" TIMEOUT 300)
  add_test(NAME verify_f256
           COMMAND ${ERG_BIN} verify --chip configs/chips/binareye.cfg
                   --net configs/nets/binareye_cifar10_f256.cfg --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME verify_random_500
           COMMAND ${ERG_BIN} verify --chip configs/chips/binareye.cfg --random 500 --seed 1000
                   --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(verify_f256 verify_random_500 PROPERTIES LABELS "full" TIMEOUT 3600)
  # The AMAC RTL (issue 6): fmnist-int8 at every op point of its net config and 50 random int8
  # networks in `ci`; 100 test images at every op point and 1,000 random networks in `full`.
  add_test(NAME verify_amac8_fmnist
           COMMAND ${ERG_BIN} verify --chip configs/chips/amac8.cfg
                   --net configs/nets/fmnist_int8.cfg --input random --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME verify_amac8_random_50
           COMMAND ${ERG_BIN} verify --chip configs/chips/amac8.cfg --random 50 --seed 1 --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(verify_amac8_fmnist verify_amac8_random_50 PROPERTIES LABELS "ci"
                       TIMEOUT 600)
  add_test(NAME verify_amac8_fmnist_100
           COMMAND ${ERG_BIN} verify --chip configs/chips/amac8.cfg
                   --net configs/nets/fmnist_int8.cfg --dataset
                   tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz
                   tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz
                   --limit 100 --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME verify_amac8_random_1000
           COMMAND ${ERG_BIN} verify --chip configs/chips/amac8.cfg --random 1000 --seed 1000
                   --quiet
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(verify_amac8_fmnist_100 verify_amac8_random_1000 PROPERTIES LABELS "full"
                       TIMEOUT 3600)
  # A multiplier brought as Verilog, compiled into the MAC-array RTL (a build of its own).
  add_test(NAME amac_user_mul_rtl
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_user_mul_rtl.sh ${CMAKE_BINARY_DIR}/usermul
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(amac_user_mul_rtl PROPERTIES LABELS "full" TIMEOUT 3600)
endif()

# The trained nets on the SystemC platform (docs/systemc.md): the golden counts, through host
# CPU, interconnect, DRAM and DMA (amac8_lpddr.cfg: a real DRAM); slice in `ci`, all in `full`.
foreach(pair "fmnist_bnn:configs/chips/binareye.cfg" "fmnist_int8:configs/chips/amac8_lpddr.cfg")
  string(REPLACE ":" ";" parts "${pair}")
  list(GET parts 0 net)
  list(GET parts 1 chip)
  foreach(which slice full)
    add_test(NAME accuracy_${which}_${net}_systemc
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} ${net} ${which}
                     ${chip} backend=systemc
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    if(which STREQUAL slice)
      set_tests_properties(accuracy_${which}_${net}_systemc PROPERTIES LABELS "ci;systemc" TIMEOUT 600)
    else()
      set_tests_properties(accuracy_${which}_${net}_systemc PROPERTIES LABELS "full;systemc" TIMEOUT 3600)
    endif()
  endforeach()
endforeach()

# The fixed-weight feature extractor (docs/fwfe.md): erg gen fwfe as a user meets it, and the
# generated RTL against the C model and golden in lockstep (every pixel and output cycle; one
# corrupted weight and two corrupted vectors must be caught). The cosim verilates what erg gen
# writes at test time (build time grows with non-zero weights x CSD digits): the fmnist conv1
# and MobileNet-0.25-style fronts in `ci`, a width-0.5 front in `full`; exit 77 = no Verilator.
add_test(NAME fwfe_gen COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_fwfe_gen.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fwfe_gen PROPERTIES LABELS "ci" TIMEOUT 120)
add_test(NAME fwfe_cosim COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_fwfe_cosim.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fwfe_cosim PROPERTIES LABELS "ci" TIMEOUT 900 SKIP_RETURN_CODE 77)
add_test(NAME fwfe_cosim_full COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_fwfe_cosim.sh ${ERG_BIN} full
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fwfe_cosim_full PROPERTIES LABELS "full" TIMEOUT 1800 SKIP_RETURN_CODE 77)
# The yosys side of the FWFE's PPA table (scripts/fwfe_synth.sh) on one small layer (~10 s).
add_test(NAME fwfe_synth COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_fwfe_synth.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fwfe_synth PROPERTIES LABELS "ci" TIMEOUT 300 SKIP_RETURN_CODE 77)

# The FixyNN-style hybrid chip (docs/fwfe.md, "Hybrid system"): conv1 fixed, the rest on the
# MAC array; the golden count on the slice in `ci` (with the stage table, the iso-area
# comparison and the refused configurations), on the whole test set in `full`.
add_test(NAME cli_fixynn COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_fixynn.sh ${ERG_BIN}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_fixynn PROPERTIES LABELS "ci" TIMEOUT 300)
foreach(which slice full)
  add_test(NAME accuracy_${which}_fmnist_int8_fixynn
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_int8 ${which}
                   configs/chips/fixynn_fmnist.cfg
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()
set_tests_properties(accuracy_slice_fmnist_int8_fixynn PROPERTIES LABELS "ci" TIMEOUT 600)
set_tests_properties(accuracy_full_fmnist_int8_fixynn PROPERTIES LABELS "full" TIMEOUT 3600)
# the same slice with the back-end on the AMAC RTL
add_test(NAME accuracy_slice_fmnist_int8_fixynn_rtl
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_accuracy.sh ${ERG_BIN} fmnist_int8 slice
                 configs/chips/fixynn_fmnist.cfg backend=rtl
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(accuracy_slice_fmnist_int8_fixynn_rtl PROPERTIES LABELS "full" TIMEOUT 3600)
